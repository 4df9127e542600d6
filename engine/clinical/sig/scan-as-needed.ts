/**
 * "prn", "as needed", "when required" … and the reason that goes with it ("prn pain", "as needed
 * for nausea", "for sleep as required").
 */
import * as P from './sig-patterns.js';
import type { Claims, Phase } from './parse-phase.js';

/** Words that end a reason: the next part of the instruction starts there. */
const STOP = new Set(['max', 'maximum', 'not', 'do', 'up', 'then', 'followed', 'every', 'each', 'no', 'may', 'take',
  'and', 'with', 'at', 'in', 'by', 'po', 'iv', 'im', 'sc', 'orally', 'daily', 'bid', 'tid', 'qid', 'q', 'for',
  'x', 'times', 'once', 'twice', 'nte', 'repeat', 'after', 'before', 'until', 'prn', 'as', 'qds', 'tds', 'bd', 'od',
  'hourly', 'nightly', 'please', 'use', 'one', 'two', 'three', 'four', 'should', 'can', 'via', 'to', 'per', 'over',
  'inhaled', 'sublingually', 'topically', 'rectally', 'mg', 'ml']);
const LEAD = /^\s*(?:for|if|when|with|in case of|of|due to|to treat|to relieve|re)\s+/;

/** Scans the as-needed trigger and reason of a phase. */
export function scanAsNeeded(c: Claims, phase: Phase): void {
  c.each(P.AS_NEEDED, (m, span) => {
    if (phase.asNeeded) return true;
    phase.asNeeded = span;
    const localEnd = m.index + m[0].length;
    const after = readReason(c, localEnd, true);
    phase.reason = after ?? readReasonBefore(c, m.index);
    return true;
  });
}

function readReason(c: Claims, from: number, needLead: boolean): Phase['reason'] {
  const rest = c.text.slice(from);
  const lead = LEAD.exec(rest);
  if (needLead && !lead && !/^\s+[a-z]/.test(rest)) return null;
  let pos = from + (lead ? lead[0].length : 0);
  const words: Array<[number, number]> = [];
  const re = /[a-z][a-z'/-]*|\S/g;
  re.lastIndex = pos;
  let m: RegExpExecArray | null;
  while ((m = re.exec(c.text)) !== null && words.length < 6) {
    const gap = c.text.slice(pos, m.index);
    if (/[^ ]/.test(gap)) break;
    const w = m[0];
    if (!/^[a-z]/.test(w) || STOP.has(w)) break;
    if (!c.free(m.index, m.index + w.length)) break;
    words.push([m.index, m.index + w.length]);
    pos = m.index + w.length;
  }
  // Allow "shortness of breath", "pain or fever" style reasons joined by of/or.
  if (words.length === 0) return null;
  const start = words[0]![0];
  const end = words[words.length - 1]![1];
  const text = c.text.slice(start, end);
  if (text.length < 3 || /^(needed|required|necessary|directed)$/.test(text)) return null;
  c.claim(start, end);
  return { text, span: { start: start + c.offset, end: end + c.offset } };
}

function readReasonBefore(c: Claims, triggerStart: number): Phase['reason'] {
  const before = c.text.slice(0, triggerStart);
  const m = /(?<![a-z])(?:for|if)\s+([a-z][a-z' -]{1,40}?)\s*,?\s*$/.exec(before);
  if (!m) return null;
  const words = m[1]!.trim();
  if (words.split(' ').some((w) => STOP.has(w)) || /^(a|the|\d)/.test(words)) return null;
  const start = m.index + m[0].indexOf(m[1]!);
  const end = start + words.length;
  if (!c.free(start, end)) return null;
  c.claim(start, end);
  return { text: words, span: { start: start + c.offset, end: end + c.offset } };
}
