/**
 * Questions about a patient's records are often about a time: "what dose am I on now", "my last
 * blood test", "the troponin at presentation". `temporalCue` reads that intent from the words of
 * the question; `PatientIndex.search` then adds a third ranked list for fusion — the best ten
 * passages of each list ordered by clinical date (newest first for `latest`, oldest first for
 * `earliest`) — so among relevant passages the one from the right time rises, and an irrelevant
 * passage gains nothing for being recent.
 */

export type Recency = 'latest' | 'earliest';

const LATEST = /\b(?:now|current|currently|latest|last|most recent|recent|recently|still|today|at the moment|these days)\b/i;
const EARLIEST = /\b(?:first|initial|initially|originally|at diagnosis|when (?:i was|it was) diagnosed|at presentation|on presentation|on admission|at admission|when i was admitted|started)\b/i;

/** `latest`, `earliest`, or null when the question names no time (or both). */
export function temporalCue(question: string): Recency | null {
  const latest = LATEST.test(question);
  const earliest = EARLIEST.test(question);
  if (latest === earliest) return null;
  return latest ? 'latest' : 'earliest';
}
