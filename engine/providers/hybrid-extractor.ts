/**
 * The `hybrid` extractor: rules and grounded LLM results merged field by field. Rules win where
 * they found a value (deterministic, coded); the LLM fills what rules missed and adds items rules
 * did not find. Each merged value's origin is recorded in `provenance` (`rules`, `llm` or `both`
 * when they agree), which rides beside the Extraction fields: `ExtractionSchema` strips it on parse
 * until the lead adds it to the schema (proposed in the issue-4 report). If the LLM fails with a
 * coded error the rules result is returned with an `LLM_FAILED` warning; cancellation propagates.
 */
import { MEDICATION_FIELDS, type Disease, type Extraction, type Medication } from '../../core/clinical/extraction.js';
import { isWardClerkError } from '../../core/errors.js';
import type { ExtractInput, Extractor } from './extractor.js';
import { throwIfAborted } from './throw-if-aborted.js';

export const HYBRID_EXTRACTOR_VERSION = '1.0.0';

export type ProvenanceSource = 'rules' | 'llm' | 'both';

/** One merged value's origin; `path` like `medications[0].frequency`, `diseases[1]`, `doctor`. */
export interface ProvenanceEntry {
  path: string;
  source: ProvenanceSource;
}

export type HybridExtraction = Extraction & { provenance: ProvenanceEntry[] };

export interface HybridExtractorOptions {
  rules: Extractor;
  llm: Extractor;
  /** Defaults to `hybrid:<llm id without the llm: prefix>`. */
  id?: string;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b);

function sameMedication(r: Medication, l: Medication): boolean {
  if (r.rxcui !== null && r.rxcui === l.rxcui) return true;
  return overlaps(r.spans['name'] ?? r.span, l.spans['name'] ?? l.span) || same(r.name, l.name);
}

function sameDisease(r: Disease, l: Disease): boolean {
  return (r.code?.code !== undefined && r.code.code === l.code?.code) || overlaps(r.span, l.span);
}

function mergeMedication(r: Medication, l: Medication, path: string, provenance: ProvenanceEntry[]): Medication {
  const merged: Medication = { ...r, spans: { ...r.spans } };
  for (const field of MEDICATION_FIELDS) {
    const rv = r[field];
    const lv = l[field];
    const ruleHas = field === 'as_needed' ? rv === true : rv !== null;
    const llmHas = field === 'as_needed' ? lv === true : lv !== null;
    if (ruleHas) provenance.push({ path: `${path}.${field}`, source: same(rv, lv) ? 'both' : 'rules' });
    else if (llmHas) {
      (merged as Record<string, unknown>)[field] = lv;
      const span = l.spans[field];
      if (span) merged.spans[field] = span;
      provenance.push({ path: `${path}.${field}`, source: 'llm' });
    }
  }
  if (merged.dosage.length === 0 && l.dosage.length > 0) merged.dosage = l.dosage;
  if (merged.sig === null) merged.sig = l.sig;
  merged.confidence = Math.min(1, Math.max(r.confidence, l.confidence) + 0.05);
  return merged;
}

/** Merges a rules and an llm extraction of the same text (pure; exported for tests). */
export function mergeExtractions(rules: Extraction, llm: Extraction, id: string): HybridExtraction {
  const provenance: ProvenanceEntry[] = [];
  const usedMeds = new Set<number>();
  const medications = rules.medications.map((r, i) => {
    const j = llm.medications.findIndex((l, k) => !usedMeds.has(k) && sameMedication(r, l));
    if (j < 0) {
      provenance.push({ path: `medications[${i}]`, source: 'rules' });
      return r;
    }
    usedMeds.add(j);
    provenance.push({ path: `medications[${i}]`, source: 'both' });
    return mergeMedication(r, llm.medications[j] as Medication, `medications[${i}]`, provenance);
  });
  llm.medications.forEach((l, k) => {
    if (usedMeds.has(k)) return;
    provenance.push({ path: `medications[${medications.length}]`, source: 'llm' });
    medications.push(l);
  });
  const usedDiseases = new Set<number>();
  const diseases = rules.diseases.map((r, i) => {
    const j = llm.diseases.findIndex((l, k) => !usedDiseases.has(k) && sameDisease(r, l));
    if (j >= 0) usedDiseases.add(j);
    provenance.push({ path: `diseases[${i}]`, source: j >= 0 ? 'both' : 'rules' });
    return r;
  });
  llm.diseases.forEach((l, k) => {
    if (usedDiseases.has(k)) return;
    provenance.push({ path: `diseases[${diseases.length}]`, source: 'llm' });
    diseases.push(l);
  });
  const doctor = rules.doctor ?? llm.doctor;
  if (doctor) provenance.push({ path: 'doctor', source: rules.doctor ? (llm.doctor && overlaps(rules.doctor.span, llm.doctor.span) ? 'both' : 'rules') : 'llm' });
  // Plan steps come from the model only (rules find theirs from the note when plan items are made).
  const planSteps = [...(rules.plan_steps ?? []), ...(llm.plan_steps ?? [])];
  planSteps.forEach((_, i) => provenance.push({ path: `plan_steps[${i}]`, source: i < (rules.plan_steps?.length ?? 0) ? 'rules' : 'llm' }));
  return {
    ...rules,
    extractor: id,
    extractor_version: HYBRID_EXTRACTOR_VERSION,
    medications,
    diseases,
    doctor,
    warnings: [...rules.warnings, ...llm.warnings],
    provenance,
    plan_steps: planSteps,
  };
}

function rulesOnly(rules: Extraction, id: string, code: string): HybridExtraction {
  return {
    ...rules,
    extractor: id,
    extractor_version: HYBRID_EXTRACTOR_VERSION,
    warnings: [...rules.warnings, { code: 'LLM_FAILED', message: `LLM extractor failed with ${code}; rules result only` }],
    provenance: [
      ...rules.medications.map((_, i) => ({ path: `medications[${i}]`, source: 'rules' as const })),
      ...rules.diseases.map((_, i) => ({ path: `diseases[${i}]`, source: 'rules' as const })),
      ...(rules.doctor ? [{ path: 'doctor', source: 'rules' as const }] : []),
    ],
  };
}

/** Creates the hybrid extractor; both inner extractors run concurrently on the same text. */
export function createHybridExtractor(options: HybridExtractorOptions): Extractor {
  const id = options.id ?? `hybrid:${options.llm.id.replace(/^llm:/, '')}`;
  return {
    id,
    version: HYBRID_EXTRACTOR_VERSION,
    async extract(input: ExtractInput): Promise<HybridExtraction> {
      throwIfAborted(input.signal);
      const started = performance.now();
      const [rules, llm] = await Promise.allSettled([options.rules.extract(input), options.llm.extract(input)]);
      throwIfAborted(input.signal);
      if (rules.status === 'rejected') throw rules.reason;
      let merged: HybridExtraction;
      if (llm.status === 'fulfilled') merged = mergeExtractions(rules.value, llm.value, id);
      // A model that failed cleanly (coded) degrades to rules; bugs and cancellation propagate.
      else if (isWardClerkError(llm.reason) && llm.reason.code !== 'CANCELLED') merged = rulesOnly(rules.value, id, llm.reason.code);
      else throw llm.reason;
      return { ...merged, latency_ms: performance.now() - started };
    },
    close: async () => {
      await options.llm.close?.();
      await options.rules.close?.();
    },
  };
}
