/**
 * The non-indexed list filters of prescriptions, applied after decryption (the store cannot index
 * clinical values without putting PHI-derived keys on disk).
 */
import type { PrescriptionRecord } from './records.js';

export interface PrescriptionFilter {
  disease?: string | undefined;
  doctor?: string | undefined;
  /** ms since epoch; records created at or after it. */
  sinceMs?: number | undefined;
}

const ICD10_RE = /^[a-z][0-9][0-9a-z](\.[0-9a-z]{0,4})?$/;

/**
 * True when a non-negated extracted disease matches `query`: an ICD-10 code equal to it or below
 * it in the hierarchy (`E11` matches `E11.9`), or a display/text containing it, case-insensitive.
 */
export function matchesDisease(rec: PrescriptionRecord, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const isCode = ICD10_RE.test(q);
  return rec.extraction.diseases.some((d) => {
    if (d.assertion === 'negated') return false;
    const code = d.code?.code?.toLowerCase();
    if (code && (code === q || (isCode && code.startsWith(q)))) return true;
    return d.display.toLowerCase().includes(q) || d.text.toLowerCase().includes(q);
  });
}

/** True when the record's doctor or the extracted prescriber's name contains `query`, case-insensitive. */
export function matchesDoctor(rec: PrescriptionRecord, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return (rec.doctor?.toLowerCase().includes(q) ?? false)
    || (rec.extraction.doctor?.name.toLowerCase().includes(q) ?? false);
}

/** All of the given filters hold. */
export function matchesFilter(rec: PrescriptionRecord, f: PrescriptionFilter): boolean {
  if (f.sinceMs !== undefined && Date.parse(rec.created_at) < f.sinceMs) return false;
  if (f.disease !== undefined && !matchesDisease(rec, f.disease)) return false;
  if (f.doctor !== undefined && !matchesDoctor(rec, f.doctor)) return false;
  return true;
}
