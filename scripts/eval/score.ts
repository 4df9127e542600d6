/**
 * Scoring maths for the gold set. Counts are accumulated per field into `Tally` objects and
 * turned into precision / recall / F1 at the end. Matching rules:
 * - medications: gold and predicted paired by RxCUI (when both have one) or normalised name;
 *   name P/R/F1 counts pairs; each Dosage field is scored only where the gold object has the
 *   key: equal non-null values are TP, a wrong value is FP+FN, a missing one FN, an extra one FP
 *   (as_needed: `true` is the value, `false` counts like null);
 * - conditions: unique ICD-10 codes per snippet; assertion accuracy over gold mentions whose code
 *   was found, each paired with a distinct predicted mention of that code (same assertion
 *   preferred); an unpaired extra gold mention of a found code counts as wrong;
 * - observations: LOINC code + value (|Δ| < 1e-6), multiset; unit accuracy over matched pairs;
 * - doctor: case- and punctuation-insensitive full name;
 * - sections: multiset of section kinds.
 */
export interface Tally { tp: number; fp: number; fn: number }
export interface Accuracy { correct: number; total: number }

export const tally = (): Tally => ({ tp: 0, fp: 0, fn: 0 });
export const accuracy = (): Accuracy => ({ correct: 0, total: 0 });

/** Precision, recall and F1; an empty denominator gives 1 (nothing to find, nothing wrongly found). */
export function prf(t: Tally): { precision: number; recall: number; f1: number } & Tally {
  const precision = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
  const recall = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision: round(precision), recall: round(recall), f1: round(f1), ...t };
}

export function acc(a: Accuracy): { accuracy: number } & Accuracy {
  return { accuracy: a.total === 0 ? 1 : round(a.correct / a.total), ...a };
}

export function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export function addTally(into: Tally, t: Tally): void {
  into.tp += t.tp; into.fp += t.fp; into.fn += t.fn;
}

/** Normalises a field value for comparison: lower-case, single spaces, trimmed. */
export function norm(v: unknown): string | null {
  if (v === null || v === undefined || v === false) return null;
  if (v === true) return 'true';
  const s = String(v).toLowerCase().replace(/\s+/g, ' ').trim();
  return s === '' ? null : s;
}

/** Compares one field of a matched pair (or of an unmatched item when the other side is undefined). */
export function scoreField(gold: unknown, pred: unknown): Tally {
  const g = norm(gold);
  const p = norm(pred);
  if (g === null && p === null) return tally();
  if (g !== null && p !== null) return g === p ? { tp: 1, fp: 0, fn: 0 } : { tp: 0, fp: 1, fn: 1 };
  return g !== null ? { tp: 0, fp: 0, fn: 1 } : { tp: 0, fp: 1, fn: 0 };
}

/** Greedy one-to-one pairing: for each gold item, the first unused predicted item that `same` accepts. */
export function pair<G, P>(gold: G[], pred: P[], same: (g: G, p: P) => boolean): { pairs: Array<[G, P]>; goldOnly: G[]; predOnly: P[] } {
  const used = new Set<number>();
  const pairs: Array<[G, P]> = [];
  const goldOnly: G[] = [];
  for (const g of gold) {
    const j = pred.findIndex((p, k) => !used.has(k) && same(g, p));
    if (j < 0) goldOnly.push(g);
    else { used.add(j); pairs.push([g, pred[j]!]); }
  }
  return { pairs, goldOnly, predOnly: pred.filter((_, k) => !used.has(k)) };
}

/** Code-level condition counts for one snippet. */
export function scoreConditionCodes(gold: string[], pred: string[]): Tally {
  const g = new Set(gold);
  const p = new Set(pred);
  let tp = 0;
  for (const c of g) if (p.has(c)) tp++;
  return { tp, fp: p.size - tp, fn: g.size - tp };
}

/** Assertion accuracy for one snippet (see the module comment). */
export function scoreAssertions(gold: Array<{ code: string; assertion: string }>, pred: Array<{ code: string; assertion: string }>): Accuracy {
  const predCodes = new Set(pred.map((p) => p.code));
  const found = gold.filter((g) => predCodes.has(g.code));
  // Pairing on (code, assertion) first means agreeing mentions are never wasted; the gold
  // mentions left over (wrong assertion, or more gold mentions than predicted) count as wrong.
  const exact = pair(found, pred, (g, p) => g.code === p.code && g.assertion === p.assertion);
  return { correct: exact.pairs.length, total: found.length };
}

/** Observation counts by LOINC + value, and unit agreement over matched pairs. */
export function scoreObservations(gold: Array<{ loinc: string; value: number; unit?: string | null }>, pred: Array<{ loinc: string; value: number | null; unit: string | null }>): { t: Tally; unit: Accuracy } {
  const r = pair(gold, pred, (g, p) => g.loinc === p.loinc && p.value !== null && Math.abs(g.value - p.value) < 1e-6);
  const unit = accuracy();
  for (const [g, p] of r.pairs) {
    if (g.unit === undefined) continue;
    unit.total++;
    if ((g.unit ?? null) === p.unit) unit.correct++;
  }
  return { t: { tp: r.pairs.length, fp: r.predOnly.length, fn: r.goldOnly.length }, unit };
}

/** Normalises a person's name: lower-case, letters/apostrophes/hyphens/spaces only. */
export function normName(n: string): string {
  return n.toLowerCase().replace(/[^a-z'\- ]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function scoreDoctor(gold: { name: string } | null, pred: { name: string } | null): Tally {
  if (gold === null && pred === null) return tally();
  if (gold && pred) return normName(gold.name) === normName(pred.name) ? { tp: 1, fp: 0, fn: 0 } : { tp: 0, fp: 1, fn: 1 };
  return gold ? { tp: 0, fp: 0, fn: 1 } : { tp: 0, fp: 1, fn: 0 };
}

/** Multiset counts of plain strings. */
export function scoreMultiset(gold: string[], pred: string[]): Tally {
  const r = pair(gold, pred, (g, p) => g === p);
  return { tp: r.pairs.length, fp: r.predOnly.length, fn: r.goldOnly.length };
}
