/**
 * Patient-mode safety triage, part one: does a patient's message describe a life-threatening
 * symptom or thoughts of self-harm? Pure string code with precompiled patterns; no model, no I/O.
 * It runs before any retrieval or model, so an emergency is answered at once.
 *
 * The rule, mention by mention (a mention is a phrase from `urgent-signals.ts`):
 *
 * 1. A current or new symptom triggers: "I have chest pain", "my face is drooping", "took too
 *    many pills", "I don't want to be here anymore", and any mention with nothing said about it.
 * 2. A clearly negated mention does not: "no chest pain since Monday", "I haven't had chest pain",
 *    "denies chest pain", "chest pain is not there". The cue must govern the mention (see
 *    `mention-status.ts`); "not sure if it's chest pain" is not a negation, and "never had chest
 *    pain like this" is a new symptom.
 * 3. A mention said to have gone ("the chest pain went away last year") does not, unless it was
 *    recent (today, last night, yesterday, an hour ago): chest pain this morning that has passed
 *    is still an emergency.
 * 4. A mention framed as history ("years ago", "as a child", "history of"), as care already given
 *    ("why was I admitted with chest pain?", "what was I given after my seizure?", "when was my
 *    stroke?"), as general knowledge or a hypothetical ("what are the signs of a stroke?", "what
 *    should I do if I get chest pain?"), as family history ("my father died of a heart attack")
 *    or as a question about the record or the schedule ("what did the scan show about my
 *    stroke?", "when is my seizure clinic?") does not, unless the same clause also says it is
 *    happening now ("now", "still", "again", "since this morning", "today", "I am having",
 *    "I have chest pain").
 * 5. A clause saying the symptom came back or is happening now ("it came back", "I think I'm
 *    having one now") revives every mention in the message, negated or not.
 * 6. When unsure, trigger: safety first. Unknown wording around a mention never suppresses it; a
 *    third person having a symptom now ("my son won't wake up") triggers like the first person;
 *    "is chest pain a side effect of amlodipine?" triggers, because the asker may have it.
 *
 * The result names the kinds of signal found, never the message's words.
 */
import { clauseTokens, type Span } from './mention-tokens.js';
import { isNegated, isPastEvent, isPresentTense, isResolvedAfter } from './mention-status.js';
import { CURRENT, GENERAL, isRecordQuestion, PAST_CARE, PRONOUN_RESOLVED, RECENT, RECURRENCE, REMOTE } from './clause-cues.js';
import { normalizeMessage, splitClauses } from './normalize-message.js';
import { urgentSignals, type UrgentReason, type UrgentSignal } from './urgent-signals.js';

export interface UrgentFinding {
  /** `SELF_HARM` when any self-harm signal is live, else `URGENT_SYMPTOM`. */
  reason: UrgentReason;
  /** Ids of the live signals ("chest_pain", "stroke_signs"), in lexicon order; no message text. */
  signals: string[];
}

interface Mention extends Span {
  signals: UrgentSignal[];
}

function findMentions(clause: string, message: string): Mention[] {
  const raw: Mention[] = [];
  for (const signal of urgentSignals()) {
    if (signal.requires !== undefined && !signal.requires.test(message)) continue;
    for (const m of clause.matchAll(signal.pattern)) raw.push({ start: m.index, end: m.index + m[0].length, signals: [signal] });
  }
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Mention[] = [];
  for (const m of raw) {
    const last = merged.at(-1);
    if (last !== undefined && m.start < last.end) {
      last.end = Math.max(last.end, m.end);
      if (!last.signals.includes(m.signals[0]!)) last.signals.push(m.signals[0]!);
    } else {
      merged.push({ ...m, signals: [...m.signals] });
    }
  }
  return merged;
}

/** What `detectUrgent` found, or null when nothing in the message is a live urgent signal. */
export function detectUrgent(message: string): UrgentFinding | null {
  const text = normalizeMessage(message);
  if (text === '') return null;
  const clauses = splitClauses(text);
  const revived = RECURRENCE.test(text);
  const live = new Set<UrgentSignal>();
  const mentionsOf = clauses.map((c) => findMentions(c, text));
  clauses.forEach((clause, ci) => {
    const mentions = mentionsOf[ci]!;
    if (mentions.length === 0) return;
    const { tokens, spanToken } = clauseTokens(clause, mentions);
    const next = clauses[ci + 1];
    const goneNext = next !== undefined && mentionsOf[ci + 1]!.length === 0 && PRONOUN_RESOLVED.test(next);
    const recent = RECENT.test(clause) || (goneNext && RECENT.test(next));
    const framed = REMOTE.test(clause) || GENERAL.test(clause) || PAST_CARE.test(clause) || isRecordQuestion(clause);
    const current = CURRENT.test(clause);
    mentions.forEach((m, mi) => {
      const k = spanToken[mi]!;
      let isLive: boolean;
      if (isNegated(tokens, k, clause.slice(m.start, m.end))) isLive = revived;
      else if (goneNext || isResolvedAfter(tokens, k)) isLive = revived || recent;
      else if (framed || isPastEvent(tokens, k)) isLive = revived || current || isPresentTense(tokens, k);
      else isLive = true;
      if (isLive) for (const s of m.signals) live.add(s);
    });
  });
  if (live.size === 0) return null;
  const signals = urgentSignals().filter((s) => live.has(s));
  return { reason: signals.some((s) => s.reason === 'SELF_HARM') ? 'SELF_HARM' : 'URGENT_SYMPTOM', signals: signals.map((s) => s.id) };
}
