/**
 * Loads the gold set: every `test/fixtures/clinical/*.jsonl` file, one annotated snippet per line
 * (format in test/fixtures/clinical/README.md). Lines are checked with zod; a malformed line
 * throws VALIDATION_FAILED naming the file and line number.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';

const GoldMedication = z.object({
  name: z.string(),
  rxcui: z.string().nullable().optional(),
  strength: z.string().nullable().optional(),
  form: z.string().nullable().optional(),
  route: z.string().nullable().optional(),
  dose: z.string().nullable().optional(),
  frequency: z.string().nullable().optional(),
  duration: z.string().nullable().optional(),
  as_needed: z.boolean().optional(),
  status: z.enum(['new', 'continued', 'changed', 'held', 'stopped', 'past']).nullable().optional(),
  dispense_quantity: z.number().nullable().optional(),
  refills: z.number().nullable().optional(),
}).passthrough();

export const GoldCaseSchema = z.object({
  id: z.string(),
  text: z.string(),
  tags: z.array(z.string()).default([]),
  expected: z.object({
    medications: z.array(GoldMedication).optional(),
    diseases: z.array(z.object({ code: z.string(), assertion: z.string() })).optional(),
    observations: z.array(z.object({ loinc: z.string(), value: z.number(), unit: z.string().nullable().optional(), date: z.string().nullable().optional() })).optional(),
    doctor: z.object({ name: z.string() }).nullable().optional(),
    sections: z.array(z.object({ kind: z.string() })).optional(),
  }),
});
export type GoldCase = z.infer<typeof GoldCaseSchema> & { /** File the case came from (set by loadGold). */ file?: string };
export type GoldMedication = z.infer<typeof GoldMedication>;

/** The gold-set folder of this checkout. */
export const GOLD_DIR = new URL('../../test/fixtures/clinical/', import.meta.url);

/**
 * Reads and validates every `*.jsonl` file in `dir`, sorted by file name; `prefixes` keeps only
 * files whose name starts with one of them ("blind2" → blind2-*.jsonl). Each case records its file.
 */
export function loadGold(dir: URL | string = GOLD_DIR, prefixes: string[] = []): { files: string[]; cases: GoldCase[] } {
  const root = typeof dir === 'string' ? dir : dir.pathname;
  const files = readdirSync(root).filter((f) => f.endsWith('.jsonl') && (prefixes.length === 0 || prefixes.some((p) => f.startsWith(p)))).sort();
  const cases: GoldCase[] = [];
  for (const f of files) {
    const lines = readFileSync(join(root, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (cause) {
        throw new WardClerkError('VALIDATION_FAILED', 'gold-set line is not JSON', { details: { file: f, line: i + 1 }, cause });
      }
      const r = GoldCaseSchema.safeParse(parsed);
      if (!r.success) throw new WardClerkError('VALIDATION_FAILED', 'gold-set line does not match the format', { details: { file: f, line: i + 1, issues: r.error.issues.slice(0, 3) } });
      cases.push({ ...r.data, file: f });
    });
  }
  return { files, cases };
}
