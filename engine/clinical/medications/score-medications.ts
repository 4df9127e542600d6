/**
 * Scores medication extraction against gold snippets in the test/fixtures/clinical format:
 * per-field true/false positives and negatives, precision, recall and F1. Expected and found
 * medications are paired by normalised name in order; a field absent from an expected medication
 * is not scored, a null one must be null.
 */
import type { Medication } from '../../../core/clinical/extraction.js';

export type GoldMedication = Partial<Record<'name' | 'rxcui' | 'strength' | 'form' | 'route' | 'dose' | 'frequency' | 'duration' | 'as_needed' | 'status' | 'dispense_quantity' | 'refills', string | number | boolean | null>>;
export interface FieldScore { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number }

/** Scores one batch: `pairs` of expected gold medications and found medications per snippet. */
export function scoreMedications(pairs: Array<{ expected: GoldMedication[]; found: Medication[] }>): Record<string, FieldScore> {
  const counts: Record<string, { tp: number; fp: number; fn: number }> = {};
  const add = (f: string, k: 'tp' | 'fp' | 'fn'): void => { (counts[f] ??= { tp: 0, fp: 0, fn: 0 })[k]++; };
  for (const { expected, found } of pairs) {
    const used = new Set<number>();
    for (const exp of expected) {
      const idx = found.findIndex((m, i) => !used.has(i) && typeof exp.name === 'string' && sameDrugName(exp.name, m.name));
      if (idx === -1) {
        for (const [f, v] of Object.entries(exp)) if (v !== null && v !== false) add(f, 'fn');
        continue;
      }
      used.add(idx);
      const got = found[idx]! as unknown as Record<string, unknown>;
      for (const [f, v] of Object.entries(exp)) {
        const g = got[f] ?? null;
        if (g === v) { if (v !== null && v !== false) add(f, 'tp'); continue; }
        if (v !== null && v !== false) add(f, 'fn');
        if (g !== null && g !== false) add(f, 'fp');
      }
    }
    found.forEach((_m, i) => { if (!used.has(i)) add('name', 'fp'); });
  }
  const out: Record<string, FieldScore> = {};
  for (const [f, c] of Object.entries(counts)) {
    const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
    const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    out[f] = { ...c, precision: round(precision), recall: round(recall), f1: round(f1) };
  }
  return out;
}

/**
 * Whether two drug names name the same product for scoring: combinations compare as sets of
 * ingredients ("amoxicillin / clavulanate" = "amoxicillin-clavulanate"), case-insensitively, and a
 * name that keeps a clinically distinct salt ("metoprolol succinate") pairs with its bare
 * ingredient ("metoprolol"), as their ingredient RxCUIs do.
 */
export function sameDrugName(a: string, b: string): boolean {
  const x = ingredientKey(a);
  const y = ingredientKey(b);
  if (x === y) return true;
  return !x.includes('|') && !y.includes('|') && (x.startsWith(`${y} `) || y.startsWith(`${x} `));
}

function ingredientKey(name: string): string {
  return name.toLowerCase().split(/\s*(?:\/|\s-\s|-(?=[a-z]{3})|\+)\s*/).map((x) => x.trim()).filter(Boolean).sort().join('|');
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
