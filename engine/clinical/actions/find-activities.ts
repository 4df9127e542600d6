/**
 * Recurring plan activities: every active medication with its FHIR Dosage and Timing (as needed
 * for PRN; stopped, held and past ones are not activities), and recurring non-medication steps
 * ("check blood sugar before breakfast", "walk 30 minutes daily", "change the dressing every 2
 * days") whose Timing comes from the same sig grammar that reads medication directions.
 */
import type { Medication, Section } from '../../../core/clinical/extraction.js';
import type { Dosage, Timing } from '../../../core/clinical/fhir-dosage.js';
import type { PlanActivity } from '../../../core/care/plan-items.js';
import { parseSig } from '../sig/parse-sig.js';
import { validateTiming } from '../timing-invariants.js';
import { asInstruction } from './find-tasks.js';
import { isoDateMs, msToIsoDate } from './due-date.js';
import type { Sentence } from './sentences.js';

const INACTIVE = new Set(['stopped', 'held', 'past']);
const PLAN_SECTIONS = new Set<Section['kind']>(['medications_discharge', 'medications_new', 'plan', 'assessment_plan', 'medications']);
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const DAY_MS = 86_400_000;
const PHASE_UNIT_DAYS: Record<string, number> = { d: 1, wk: 7, mo: 30 };

interface Kind {
  kind: PlanActivity['kind'];
  re: RegExp;
  title(m: RegExpExecArray): string;
}

const MEASURED: Record<string, string> = {
  sugar: 'blood sugar', sugars: 'blood sugar', glucose: 'blood sugar', grbs: 'blood sugar', cbg: 'blood sugar', bp: 'blood pressure',
  pressure: 'blood pressure', weight: 'weight', temperature: 'temperature', temp: 'temperature', pulse: 'pulse', spo2: 'oxygen saturation',
  oxygen: 'oxygen saturation', 'peak flow': 'peak flow', urine: 'urine output',
};

const KINDS: Kind[] = [
  {
    kind: 'measurement',
    re: /\b(?:check|monitor|measure|record|test|note|chart|keep\s+a\s+log\s+of)\b[^.;]{0,30}?\b(sugars?|glucose|grbs|cbg|bp|pressure|weight|temperature|temp|pulse|spo2|oxygen|peak\s+flow|urine)\b/i,
    title: (m) => `Check ${MEASURED[m[1]!.toLowerCase().replace(/\s+/g, ' ')] ?? m[1]!.toLowerCase()}`,
  },
  { kind: 'measurement', re: /\bweigh\s+(?:yourself|himself|herself|themselves|daily|every)\b/i, title: () => 'Check weight' },
  { kind: 'exercise', re: /\b(walk(?:ing)?|exercises?|yoga|physiotherapy|physio|cycling|swim(?:ming)?|stretch(?:ing|es)?|jog(?:ging)?|spirometry|incentive\s+spirometer)\b/i, title: (m) => (/^walk/i.test(m[1]!) ? 'Walk' : /spiro/i.test(m[1]!) ? 'Breathing exercises' : 'Exercise') },
  { kind: 'wound_care', re: /\b(dressing|wound|incision|stoma|suture\s+line|drain\s+site)\b/i, title: (m) => (/dressing/i.test(m[1]!) ? 'Change the dressing' : 'Wound care') },
  { kind: 'diet', re: /\b(?:drink|fluids?|water\s+intake|diet)\b/i, title: () => 'Fluids and diet' },
  { kind: 'other', re: /\b(sitz\s+bath|steam\s+inhalation|gargles?|salt\s+water|elevate|ice\s+packs?|hot\s+fomentation|warm\s+compress(?:es)?)\b/i, title: (m) => asInstruction(m[1]!) },
];

function hasSchedule(t: Timing | undefined): t is Timing {
  const r = t?.repeat;
  return !!r && (r.frequency !== undefined || (r.when?.length ?? 0) > 0 || (r.timeOfDay?.length ?? 0) > 0 || r.period !== undefined);
}

/** "Walk 30 minutes daily": how long each time, as Timing.repeat.duration. */
function withSessionLength(timing: Timing, text: string): Timing {
  const m = /(?<!\bevery\s{1,3})\b(\d{1,3})\s*(min(?:ute)?s?|hours?|hrs?)\b(?!\s*(?:later|after|before))/i.exec(text);
  if (!m || timing.repeat?.duration !== undefined) return timing;
  return { ...timing, repeat: { ...timing.repeat, duration: Number(m[1]), durationUnit: /^h/i.test(m[2]!) ? 'h' : 'min' } };
}

/** `when` codes naming one time of day each (AC, PC and C alone only relate to meals). */
const DAILY_EVENTS = new Set(['ACM', 'ACD', 'ACV', 'PCM', 'PCD', 'PCV', 'CM', 'CD', 'CV', 'MORN', 'AFT', 'EVE', 'NIGHT', 'HS', 'WAKE']);

/**
 * "Check sugar before breakfast and before dinner daily": two named times a day are two
 * checks, whatever daily count the sig grammar read. Only for non-medication steps: a
 * medicine's dose count is never raised here.
 */
function withWhenCount(timing: Timing): Timing {
  const r = timing.repeat;
  const events = new Set((r?.when ?? []).filter((w) => DAILY_EVENTS.has(w))).size;
  if (!r || events < 2 || r.frequency === undefined || r.frequency >= events || r.period !== 1 || r.periodUnit !== 'd') return timing;
  const { code: _code, ...rest } = timing;
  return { ...rest, repeat: { ...r, frequency: events } };
}

/** The kind and title the rules give a step's words ("check sugars …" → measurement, "Check blood sugar"), or null. */
export function stepKind(text: string): { kind: PlanActivity['kind']; title: string } | null {
  for (const k of KINDS) {
    const m = k.re.exec(text);
    if (m) return { kind: k.kind, title: k.title(m).slice(0, 200) };
  }
  return null;
}

/**
 * The schedule of a non-medication step, read by the sig grammar from its words (two named times
 * a day are two; an exercise's minutes are its duration), or null: a step with no schedule is
 * advice, not a plan activity, and one whose Timing breaks tim-1…tim-10 is left out.
 */
export function stepTiming(text: string, kind: PlanActivity['kind']): Timing | null {
  const timing = parseSig(text).dosage[0]?.timing;
  if (!hasSchedule(timing)) return null;
  const t = withWhenCount(kind === 'exercise' ? withSessionLength(timing, text) : timing);
  return validateTiming(t).length > 0 ? null : t;
}

/** Whether a sentence names a medicine (then it holds that medicine's directions). */
export function namesMedication(s: { start: number; end: number }, medications: Medication[]): boolean {
  return medications.some((m) => { const n = m.spans['name'] ?? m.span; return n.start < s.end && n.start >= s.start; });
}

/** Non-medication recurring steps in sentences that hold no medication. */
export function findRecurring(sentences: Sentence[], medications: Medication[]): Array<{ activity: PlanActivity; sentence: Sentence }> {
  const out: Array<{ activity: PlanActivity; sentence: Sentence }> = [];
  for (const s of sentences) {
    // A sentence naming a medicine holds its directions (its sig may run on past the sentence).
    if (namesMedication(s, medications)) continue;
    const k = stepKind(s.text);
    if (!k) continue;
    const timing = stepTiming(s.text, k.kind);
    if (!timing) continue;
    out.push({
      sentence: s,
      activity: { kind: k.kind, title: k.title, instruction: asInstruction(s.text).slice(0, 1000), medication: null, timing, as_needed: false, span: { start: s.start, end: s.end }, source: 'rules' },
    });
  }
  return out;
}

function nameOf(m: Medication): string {
  const written = m.text.trim() || m.name;
  return written.charAt(0).toUpperCase() + written.slice(1);
}

/** One phase's dose and schedule in words ("20 mg QD"), where the shared sig text covers all phases. */
function phaseInstruction(d: Dosage): string {
  const q = d.doseAndRate?.[0]?.doseQuantity;
  const dose = q?.value !== undefined ? `${q.value} ${q.unit ?? ''}`.trim() : '';
  return [dose, d.timing?.code?.text ?? ''].filter(Boolean).join(' ') || (d.text ?? '');
}

/**
 * Phases of a tapering or phased course run one after another: each phase's boundsDuration
 * becomes a boundsPeriod from the note's date on, so the scheduler never runs two phases at once.
 * A phase without a length ends the chain (later phases cannot be placed: `warnings`).
 */
function phased(dosages: Dosage[], noteDate: string, warnings: string[]): Dosage[] {
  if (dosages.length <= 1) return dosages;
  let start = isoDateMs(noteDate);
  const out: Dosage[] = [];
  for (const d of dosages) {
    const r = d.timing?.repeat;
    const dur = r?.boundsDuration;
    if (start === null || !r) { warnings.push('phased_dosage_truncated'); break; }
    const perUnit = PHASE_UNIT_DAYS[dur?.code ?? ''];
    const days = dur?.value !== undefined && perUnit !== undefined ? dur.value * perUnit : NaN;
    const { boundsDuration: _drop, ...rest } = r;
    if (!Number.isFinite(days)) {
      out.push({ ...d, timing: { ...d.timing, repeat: { ...rest, boundsPeriod: { start: msToIsoDate(start) } } } });
      if (out.length < dosages.length) warnings.push('phased_dosage_truncated');
      break;
    }
    const end = start + Math.round(days) * DAY_MS;
    out.push({ ...d, timing: { ...d.timing, repeat: { ...rest, boundsPeriod: { start: msToIsoDate(start), end: msToIsoDate(end - DAY_MS) } } } });
    start = end;
  }
  return out;
}

/** Plan activities for the note's active medications; `warnings` gets codes for what was left out. */
export function medicationActivities(medications: Medication[], sections: Section[], noteDate: string, warnings: string[], modelPaths: ReadonlySet<number>): PlanActivity[] {
  const out: PlanActivity[] = [];
  // With a discharge or plan list in the note, drugs named only elsewhere (the hospital course,
  // the history) are not what the patient takes home.
  const planned = sections.filter((x) => PLAN_SECTIONS.has(x.kind));
  const inPlan = (m: Medication) => (m.mentions?.length ? m.mentions : [m.span]).some((x) => planned.some((p) => x.start >= p.span.start && x.start < p.span.end));
  const listed = medications.some(inPlan);
  medications.forEach((m, i) => {
    if (m.status !== null && INACTIVE.has(m.status)) {
      warnings.push(`${m.status}_medication_not_planned`);
      return;
    }
    if (listed && !inPlan(m)) {
      warnings.push('medication_outside_plan_not_planned');
      return;
    }
    const dosages = phased(m.dosage.length > 0 ? m.dosage : [{}], noteDate, warnings);
    dosages.forEach((dosage, phase) => {
      const asNeeded = m.as_needed || dosage.asNeededBoolean === true || dosage.asNeededCodeableConcept !== undefined;
      const timing = dosage.timing && hasSchedule(dosage.timing) && validateTiming(dosage.timing).length === 0 ? dosage.timing : null;
      if (!timing && !asNeeded) warnings.push('medication_without_schedule');
      const code = m.rxcui ? { coding: [{ system: RXNORM, code: m.rxcui, display: m.name }], text: m.text } : { text: m.text };
      out.push({
        kind: 'medication',
        title: (dosages.length > 1 ? `${nameOf(m)} (step ${phase + 1})` : m.strength ? `${nameOf(m)} ${m.strength}` : nameOf(m)).slice(0, 200),
        instruction: (dosages.length > 1 ? phaseInstruction(dosage) : (dosage.text ?? m.sig ?? '')).slice(0, 1000),
        medication: { name: m.name.slice(0, 200), code, dosage },
        timing, as_needed: asNeeded, span: m.span, source: modelPaths.has(i) ? 'model' : 'rules',
      });
    });
  });
  return out;
}
