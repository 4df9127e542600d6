/**
 * Allergies: substances listed in an allergies section ("Allergies: penicillin (rash), sulfa")
 * and after "allergic to" / "allergy to" anywhere. "NKDA", "NKA", "no known (drug) allergies"
 * and "none" mean no allergies: nothing is returned for that section.
 */
import type { Extraction, Section } from '../../../core/clinical/extraction.js';

export type Allergy = Extraction['allergies'][number];

const NONE_RE = /\b(?:nkda|nka|nkfa|no known (?:drug |medication |food )?allerg(?:ies|y)|no allerg(?:ies|y)|none(?: known)?|nil known|no drug allergies|denies (?:any )?allergies)\b/i;
const INLINE_RE = /\b(?:allergic to|allergy to|allergies to|intolerant of|intolerance to|allergies include)[ \t]+/gi;
const ITEM_STOP = /[\n;.]|,(?![^(]*\))|\band\b|\bor\b/i;
const REACTION_CUT = /\s*(?:\(|-|–|:|—|\bcauses\b|\bcausing\b|\bgives\b|\bwith\b|\bresults in\b|\breaction\b)/i;

/** Returns the allergies in `text`. Never throws. */
export function findAllergies(text: string, sections: Section[]): Allergy[] {
  const out: Allergy[] = [];
  const seen = new Set<string>();
  for (const s of sections) {
    if (s.kind !== 'allergies') continue;
    const bodyStart = s.span.start + s.title.length + 1;
    const body = text.slice(bodyStart, s.span.end);
    if (NONE_RE.test(body.slice(0, 60))) continue;
    listItems(text, bodyStart, s.span.end, out, seen, 0.85);
  }
  INLINE_RE.lastIndex = 0;
  for (let m = INLINE_RE.exec(text); m; m = INLINE_RE.exec(text)) {
    const from = m.index + m[0].length;
    let end = text.indexOf('\n', from);
    if (end < 0) end = text.length;
    const dot = text.slice(from, end).search(/\.(\s|$)/);
    if (dot >= 0) end = from + dot;
    listItems(text, from, Math.min(end, from + 160), out, seen, 0.8);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

function listItems(text: string, start: number, end: number, out: Allergy[], seen: Set<string>, confidence: number): void {
  let pos = start;
  while (pos < end) {
    const rest = text.slice(pos, end);
    const stop = rest.search(ITEM_STOP);
    const itemEnd = stop < 0 ? end : pos + stop;
    addItem(text, pos, itemEnd, out, seen, confidence);
    if (stop < 0) break;
    const m = ITEM_STOP.exec(rest);
    pos = itemEnd + (m ? m[0].length : 1);
  }
}

function addItem(text: string, start: number, end: number, out: Allergy[], seen: Set<string>, confidence: number): void {
  let s = start;
  let e = end;
  while (s < e && /[\s\-*•·,:]/.test(text[s]!)) s++;
  const cut = text.slice(s, e).search(REACTION_CUT);
  if (cut > 0) e = s + cut;
  while (e > s && /[\s,.)]/.test(text[e - 1]!)) e--;
  if (e <= s) return;
  const raw = text.slice(s, e);
  const words = raw.split(/\s+/);
  if (words.length > 5 || !/[a-z]/i.test(raw) || NONE_RE.test(raw)) return;
  const substance = raw.toLowerCase().replace(/\s+/g, ' ');
  if (/^(the|a|an|to|of|patient|reports?|states?)$/.test(substance)) return;
  const key = `${substance}@${s}`;
  if (seen.has(substance) || seen.has(key)) return;
  seen.add(substance);
  out.push({ text: raw, substance, span: { start: s, end: e }, confidence });
}
