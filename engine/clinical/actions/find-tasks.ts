/**
 * One-time checklist steps in a note's sentences: book a follow-up, get tests done, a referral,
 * buy or collect a medicine or supply, and stop (or pause) a medicine the extraction marks
 * stopped/held. Each step keeps its sentence's span and, where the sentence gives one, a due date
 * computed from the note's date. Rules only; pure.
 */
import type { Medication } from '../../../core/clinical/extraction.js';
import type { PlanTask } from '../../../core/care/plan-items.js';
import { findDue } from './due-date.js';
import { sentenceAt, type Sentence } from './sentences.js';

const FOLLOW_UP = /\b(?:follow[\s-]*up|f\/u|review(?:ed)?\s+(?:in|after|on|with|at|by)|revisit|re-visit|come\s+back|return\s+(?:to|for|in|after)|see\s+(?:me|us|the\s+doctor)\s+(?:again|in|after)|next\s+visit|recheck\s+(?:in|after))\b/i;
const TEST_WORDS = String.raw`(?:bloods?|blood\s+(?:tests?|work|investigations?)|labs?|investigations?|tests?|hba1c|cbc|fbs|ppbs|rbs|lipid\s+profile|lft|kft|rft|tft|tsh|thyroid\s+profile|urine\s+(?:routine|culture|test)|x-?ray|ecg|echo(?:cardiogram)?|ultrasound|usg|ct\s+scan|mri|serum\s+\w+|creatinine|electrolytes|inr|pt\s*\/\s*inr)`;
const TESTS = new RegExp(String.raw`\b(?:get|do|repeat|send|obtain|go\s+for|have|check)\b[^.;]{0,60}?\b${TEST_WORDS}\b|\b${TEST_WORDS}\b[^.;]{0,60}?\b(?:done|to\s+be\s+done|repeated|due)\b`, 'i');
const REFERRAL = /\b(?:refer(?:red|ral)?|consult)\b(?:\s+(?:to|with))?\s+(?:the\s+|a\s+|an\s+)?([a-z][a-z .&-]{2,60}?)(?=\s+(?:for|in|on|within|after|regarding|opd)\b|[.,;()]|$)/i;
const STOP_WORDS = /\b(?:stop|discontinue|hold|withhold|omit|pause|do\s+not\s+take)\b/i;
/** "Return to the emergency department if…" is safety-netting advice, not a visit to book. */
const EMERGENCY = /\b(?:emergency|casualty|immediately|urgently|a\s*&\s*e)\b/i;
const COLLECT = /\b(?:buy|purchase|collect|pick\s+up|procure|get)\b/i;
const SUPPLIES = /\b(?:glucometer|strips?|lancets?|insulin|pen\s+needles?|syringes?|needles|inhaler|spacer|nebuli[sz]er|medicines?|medications?|tablets?|refills?|dressing\s+(?:kit|material)|bandages?|crutches|walker|splint|brace|compression\s+stockings)\b/i;

function task(kind: PlanTask['kind'], description: string, s: Sentence, noteDate: string, medication: string | null = null): PlanTask {
  const due = findDue(s.text, noteDate);
  return {
    kind, description: description.slice(0, 500), due: due?.due ?? null, due_text: due?.text.slice(0, 100) ?? null,
    medication, span: { start: s.start, end: s.end }, source: 'rules',
  };
}

/** The sentence as an instruction: trailing punctuation off, first letter up, at most 500 chars. */
export function asInstruction(text: string): string {
  const t = text.replace(/\s+/g, ' ').replace(/[\s.;:,]+$/, '').trim();
  return (t.charAt(0).toUpperCase() + t.slice(1)).slice(0, 500);
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Checklist tasks of the note. `recurring` holds the sentences that became plan activities:
 * "check blood sugar daily" is a recurring step, not a test to book.
 */
export function findTasks(sentences: Sentence[], medications: Medication[], noteDate: string, recurring: ReadonlySet<Sentence>): PlanTask[] {
  const tasks: PlanTask[] = [];
  const medSentences = new Map<Sentence, Medication[]>();
  for (const m of medications) {
    const s = sentenceAt(sentences, m.span.start);
    if (s) medSentences.set(s, [...(medSentences.get(s) ?? []), m]);
  }
  for (const s of sentences) {
    if (recurring.has(s)) continue;
    const referral = REFERRAL.exec(s.text);
    if (referral) tasks.push(task('referral', `Referral to ${referral[1]!.trim()}`, s, noteDate));
    if (FOLLOW_UP.test(s.text) && !EMERGENCY.test(s.text)) tasks.push(task('book_follow_up', 'Book a follow-up visit', s, noteDate));
    if (TESTS.test(s.text) && !/\bwith\b[^.]{0,40}\breports?\b/i.test(s.text)) tasks.push(task('get_tests', asInstruction(s.text), s, noteDate));
    if (COLLECT.test(s.text)) {
      const meds = (medSentences.get(s) ?? []).filter((m) => m.status !== 'stopped' && m.status !== 'past' && m.status !== 'held');
      if (meds.length > 0) for (const m of meds) tasks.push(task('collect_medicine', `Buy ${capitalise(m.name)}`, s, noteDate, m.name));
      else if (SUPPLIES.test(s.text) && !TESTS.test(s.text)) tasks.push(task('collect_medicine', asInstruction(s.text), s, noteDate));
    }
  }
  // Stopped and held medicines: a step the patient must take ("stop glimepiride").
  for (const m of medications) {
    if (m.status !== 'stopped' && m.status !== 'held') continue;
    // The sentence that says so ("Stop Glimepiride."), not the history that first named the drug.
    const spans = m.mentions?.length ? m.mentions : [m.span];
    const candidates = spans.map((x) => sentenceAt(sentences, x.start)).filter((x): x is Sentence => x !== null);
    const s = candidates.find((c) => STOP_WORDS.test(c.text)) ?? candidates.at(-1);
    if (!s) continue;
    const verb = m.status === 'held' ? 'Pause' : 'Stop';
    tasks.push(task('stop_medicine', `${verb} ${capitalise(m.name)}`, s, noteDate, m.name));
  }
  return tasks.sort((a, b) => a.span.start - b.span.start);
}
