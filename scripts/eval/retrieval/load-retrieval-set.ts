/**
 * Loads the retrieval evaluation set (issue 9; format in scripts/eval/retrieval-set/README.md):
 * every `*.json` file of a folder, one patient record each, checked with zod. A file that does
 * not parse or fit the format is listed in `skipped` with the reason and left out, so a set that
 * is still being written can be measured as far as it goes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DOCUMENT_TYPES } from '../../../engine/retrieval/chunk.js';

const text = z.string().min(1);

export const RetrievalRecordSchema = z.object({
  patient: z.object({ id: text }).passthrough(),
  documents: z.array(
    z.object({
      doc_id: text,
      type: z.enum(DOCUMENT_TYPES),
      title: z.string(),
      clinical_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
      pages: z.array(z.string()).min(1),
    }),
  ),
  questions: z.array(
    z.object({
      id: text,
      question: text,
      asker: z.enum(['patient', 'doctor']),
      answers: z.array(z.object({ doc_id: text, page: z.number().int().min(1), quote: text })).min(1),
    }),
  ),
});
export type RetrievalRecord = z.infer<typeof RetrievalRecordSchema>;

export interface RetrievalSet {
  records: Array<RetrievalRecord & { file: string }>;
  skipped: Array<{ file: string; reason: string }>;
}

/** The set folder of this checkout. */
export const RETRIEVAL_SET_DIR = new URL('../retrieval-set/', import.meta.url).pathname;

export interface FileSelection {
  /** Only files whose names start with one of these (`p2` → p20…p29). */
  files?: readonly string[];
  /** Leave out files whose names start with one of these. */
  exclude?: readonly string[];
}

/** Reads every selected `*.json` in `dir`, sorted by name. */
export function loadRetrievalSet(dir: string = RETRIEVAL_SET_DIR, select: FileSelection = {}): RetrievalSet {
  const out: RetrievalSet = { records: [], skipped: [] };
  const picked = (f: string): boolean =>
    (!select.files || select.files.length === 0 || select.files.some((p) => f.startsWith(p))) && !(select.exclude ?? []).some((p) => f.startsWith(p));
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && picked(f)).sort()) {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch {
      out.skipped.push({ file, reason: 'not JSON' });
      continue;
    }
    const r = RetrievalRecordSchema.safeParse(data);
    if (!r.success) {
      out.skipped.push({ file, reason: `not the set's format: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim() });
      continue;
    }
    out.records.push({ ...r.data, file });
  }
  return out;
}
