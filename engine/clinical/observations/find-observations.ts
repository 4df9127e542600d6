/**
 * Finds lab results and vital signs: a vocabulary name (token trie) followed closely by a value
 * ("HbA1c 7.2%", "BP 140/90 mmHg", "pulse of 88", "creatinine was 1.3 mg/dL on 03/01/2024").
 * Each observation carries its LOINC code, numeric value, UCUM unit (stated, else the code's
 * default where it is unambiguous) and the date when one is stated on the same line.
 * A value outside the code's plausible range is dropped rather than guessed at.
 */
import type { Observation } from '../../../core/clinical/extraction.js';
import type { Token } from '../text/tokenize.js';
import { type ObservationConcept, activeObservationVocabulary } from './observation-vocabulary.js';
import { UNIT_PATTERN, toUcum } from './units.js';
import { parseDate } from './find-dates.js';

export const LOINC_SYSTEM = 'http://loinc.org';

const CONNECTOR = String.raw`(?:[ \t]*(?:[:=~]|-(?!\d)|–|—|\(|is|was|were|of|at|level|levels|value|result|reading|measured|recorded|now|today|checked|came back|noted|remains|remained|stable|elevated|high|low|improved|increased|decreased|down|up|to|peaked|peak|rose|fell|dropped|trended|trending|climbed|found|reduced|normal|raised)[ \t]*){0,3}`;
const VALUE = String.raw`(?<cmp><=|>=|<|>|≤|≥)?[ \t]*(?<v1>\d{1,5}(?:\.\d+)?)(?:[ \t]*\/[ \t]*(?<v2>\d{1,4}(?:\.\d+)?))?`;
const UNIT = String.raw`(?:[ \t]*(?<unit>${UNIT_PATTERN}))?`;
const VALUE_RE = new RegExp(String.raw`${CONNECTOR}[ \t]*${VALUE}${UNIT}`, 'iy');
const HEIGHT_FT_RE = /[ \t:=]*(?:is|of|was)?[ \t]*(?<ft>[3-7])[ \t]*(?:'|’|ft|feet|foot)[ \t]*(?:(?<inch>\d{1,2}(?:\.\d)?)[ \t]*(?:"|”|''|in|inches)?)?/iy;

/** UCUM units acceptable per default unit (besides the code's own alternates). */
const COMPATIBLE: Record<string, string[]> = {
  cm: ['cm', 'm', '[in_i]'],
  kg: ['kg', '[lb_av]', 'g'],
  Cel: ['Cel', '[degF]'],
  'g/dL': ['g/dL', 'g/L'],
  'ng/mL': ['ng/mL', 'ng/L'],
  'mg/L': ['mg/L', 'mg/dL'],
  'pg/mL': ['pg/mL', 'ng/L'],
  'mg/g': ['mg/g', 'mg/mmol'],
  'mL/min/{1.73_m2}': ['mL/min/{1.73_m2}'],
  'm[IU]/L': ['m[IU]/L'],
  '10*3/uL': ['10*3/uL'],
};

/** Finds observations in a tokenised note. Never throws. */
export function findObservations(text: string, tokens: Token[], now?: Date): Observation[] {
  const out: Observation[] = [];
  const vocab = activeObservationVocabulary();
  for (const m of vocab.trie.matchAll(text, tokens)) {
    const concept = m.value;
    if (concept.code === '8302-2') {
      HEIGHT_FT_RE.lastIndex = m.end;
      const h = HEIGHT_FT_RE.exec(text);
      if (h?.groups?.ft) {
        const inches = Number(h.groups.ft) * 12 + Number(h.groups.inch ?? 0);
        push(out, text, concept.code, concept.display, inches, '[in_i]', m.start, h.index + h[0].length, now, 0.85);
        continue;
      }
    }
    VALUE_RE.lastIndex = m.end;
    let v = VALUE_RE.exec(text);
    // The value must follow the name closely (connectors only; CONNECTOR never crosses a line).
    if (v && v[0].search(/[<>≤≥\d]/) > 28) v = null;
    // "BP was 140/90? No - recorded as 150/95": the corrected reading, later on the same line.
    if (!v?.groups?.v1) { CORRECTION_RE.lastIndex = m.end; v = CORRECTION_RE.exec(text); }
    if (!v?.groups?.v1) continue;
    const g = v.groups;
    const end = v.index + v[0].length;
    const v1 = Number(g.v1);
    const v2 = g.v2 === undefined ? null : Number(g.v2);
    if (concept.code === 'BP') {
      if (v2 === null) continue;
      pushBp(out, text, v1, v2, m.start, end, now);
      // "BP: 118/76 (sitting), 102/64 (standing)": further readings listed after the first.
      for (let k = 0, from = end; k < 4; k++) {
        const more = nextReading(text, from);
        if (!more || more.v2 === null) break;
        pushBp(out, text, more.v1, more.v2, more.start, more.end, now);
        from = more.end;
      }
      continue;
    }
    // "HbA1c 7.2/..." is not a ratio; for scores "24/30" the numerator is the score.
    const raw = g.unit ? toUcum(g.unit) : null;
    const resolved = resolveUnit(concept, raw, v1);
    // A unit that does not fit the code is not consumed (e.g. "HR 88 in clinic").
    const spanEnd = resolved.consumedUnit || !g.unit ? end : v.index + v[0].lastIndexOf(g.unit);
    const code = resolved.code;
    const c = vocab.byCode.get(code) ?? concept;
    push(out, text, code, c.display, v1, resolved.unit, m.start, trimEnd(text, m.start, spanEnd), now, 0.9, c.min, c.max);
    // "HbA1c 8.2% (was 7.6% in January)", "K 3.1, 3.4": earlier or repeated values of the same test.
    for (let k = 0, from = end; k < 4; k++) {
      const more = nextReading(text, from);
      if (!more || more.v2 !== null) break;
      const u = more.unit ? toUcum(more.unit) : null;
      // The same test again: the same unit, or a unit stated on only one of the two values.
      if (u !== raw && u !== null && raw !== null) break;
      if (u === null && raw === null && !more.previous && more.v1 >= 1000) break;
      push(out, text, code, c.display, more.v1, resolved.unit, more.start, more.end, now, 0.85, c.min, c.max);
      from = more.end;
    }
  }
  return out;
}

const CORRECTION_RE = new RegExp(String.raw`[^\n.]{0,60}?(?:recorded as|corrected to|amended to|should (?:read|be)|actually|correction:?|re-?checked(?: at)?|repeat(?:ed)?(?: reading)?:?)[ \t]*${VALUE}${UNIT}`, 'iy');
/** A further reading right after a value: ", 102/64", "; 3.4 mmol/L", or "(was 7.6%", "(previously 7.6%". */
const NEXT_RE = new RegExp(String.raw`(?:[ \t]*(?:\([^()\n]{1,24}\)|(?:on[ \t]+)?\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|today|yesterday|now|this morning))?[ \t]*(?:(?<sep>[,;]|and)|\([ \t]*(?<prev>was|previously|prev|prior|from|down from|up from|last|before|compared (?:to|with)))[ \t]*(?:and[ \t]+)?(?:then[ \t]+)?${VALUE}${UNIT}`, 'iyd');

function nextReading(text: string, from: number): { v1: number; v2: number | null; unit: string | null; previous: boolean; start: number; end: number } | null {
  NEXT_RE.lastIndex = from;
  const n = NEXT_RE.exec(text);
  const g = n?.groups;
  if (!n || !g?.v1) return null;
  const end = n.index + n[0].length;
  const start = (n.indices?.groups?.cmp ?? n.indices?.groups?.v1)?.[0] ?? n.index;
  // A bare number followed by a word ("110, 2 hours after food") is not a second reading.
  if (!g.unit && g.prev === undefined && /^[ \t]*[A-Za-z]/.test(text.slice(end, end + 3))) return null;
  return { v1: Number(g.v1), v2: g.v2 === undefined ? null : Number(g.v2), unit: g.unit ?? null, previous: g.prev !== undefined, start, end };
}

function pushBp(out: Observation[], text: string, sys: number, dia: number, start: number, end: number, now?: Date): void {
  push(out, text, '8480-6', 'Systolic blood pressure', sys, 'mm[Hg]', start, end, now, 0.92, 50, 300);
  push(out, text, '8462-4', 'Diastolic blood pressure', dia, 'mm[Hg]', start, end, now, 0.92, 20, 200);
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /[\s(:=]/.test(text[e - 1]!)) e--;
  return e;
}

function resolveUnit(concept: ObservationConcept, unit: string | null, value: number): { code: string; unit: string | null; consumedUnit: boolean } {
  if (unit) {
    const alt = concept.alternates.get(unit);
    if (alt) return { code: alt, unit, consumedUnit: true };
    if (unit === concept.unit || (concept.unit && COMPATIBLE[concept.unit]?.includes(unit))) return { code: concept.code, unit, consumedUnit: true };
  }
  // No (usable) unit stated: default only where unambiguous.
  switch (concept.unit) {
    case 'Cel': return { code: concept.code, unit: value > 50 ? '[degF]' : 'Cel', consumedUnit: false };
    case '/min': case '%': case 'mm[Hg]': case 'kg/m2': case '{score}': case '{INR}': case '[pH]': case 'mL/min/{1.73_m2}': case 'm[IU]/L': case 'mmol/L':
      return { code: concept.code, unit: concept.unit, consumedUnit: false };
    default: {
      // Values far outside the mass-unit range suggest the SI alternate (glucose 5.6 → mmol/L).
      for (const [u, altCode] of concept.alternates) {
        if (u === 'mmol/L' && value < concept.min * 2 && concept.code !== '4548-4') return { code: altCode, unit: null, consumedUnit: false };
        if ((u === 'umol/L' || u === 'mmol/mol') && value > 20) return { code: altCode, unit: null, consumedUnit: false };
      }
      return { code: concept.code, unit: null, consumedUnit: false };
    }
  }
}

function push(out: Observation[], text: string, code: string, display: string, value: number, unit: string | null, start: number, end: number,
  now: Date | undefined, confidence: number, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): void {
  if (!Number.isFinite(value) || value < min || value > max) return;
  out.push({
    text: text.slice(start, end),
    code: { system: LOINC_SYSTEM, code, display },
    value,
    value_string: null,
    unit,
    date: dateNear(text, start, end, now),
    span: { start, end },
    confidence,
  });
}

/** A date stated after the value on the same line (within 40 chars), else at the line start. */
function dateNear(text: string, start: number, end: number, now?: Date): string | null {
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  const after = text.slice(end, Math.min(lineEnd, end + 40));
  const a = parseDate(after, now);
  if (a && /^[\s,;(]*(?:on|dated|from|taken|drawn|collected|checked|measured|at|in)?[\s(]*$/i.test(after.slice(0, a.index))) return a.iso;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  const b = parseDate(before, now);
  if (b && b.index <= 2) return b.iso;
  return null;
}
