/**
 * Turns checked LLM output into Extraction items: every value is grounded in the source (or
 * dropped with an `UNGROUNDED_VALUE` warning), then normalised by the rules engine run on the
 * grounded region, so RxNorm / ICD-10 codes, normalised strengths and FHIR Dosage come from the
 * same code as the rules extractor. Values the rules engine does not recognise are kept as the
 * grounded source text (never the model's wording).
 */
import type { Disease, Extraction, Medication, PlanStep, Prescriber, Span } from '../../core/clinical/extraction.js';
import { extractClinical } from '../clinical/extract.js';
import { parseSig } from '../clinical/sig/parse-sig.js';
import { buildGroundingIndex, groundValue, type GroundingIndex } from './grounding.js';
import { LLM_MEDICATION_FIELDS, type LlmDisease, type LlmMedication, type LlmOutput, type LlmStep } from './llm-output-schema.js';

type Warning = Extraction['warnings'][number];

export interface GroundedOutput {
  diseases: Disease[];
  medications: Medication[];
  doctor: Prescriber | null;
  /** Non-medication plan steps, each as the note's own words at its span. */
  steps: PlanStep[];
  warnings: Warning[];
}

const LLM_ONLY_CONFIDENCE = 0.6;
const RULES_CONFIRMED_CONFIDENCE = 0.85;

const ungrounded = (path: string): Warning => ({ code: 'UNGROUNDED_VALUE', message: `${path}: value not found in the source text; dropped` });

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
const shift = (s: Span, by: number): Span => ({ start: s.start + by, end: s.end + by });

/** Runs the rules engine on `source[region]`; its spans are relative to `region.start`. */
function rulesOn(source: string, region: Span): Extraction {
  return extractClinical(source.slice(region.start, region.end));
}

function groundMedication(ix: GroundingIndex, med: LlmMedication, path: string, warnings: Warning[]): Medication | null {
  const name = groundValue(ix, med.name);
  if (!name) {
    warnings.push(ungrounded(`${path}.name`));
    return null;
  }
  const spans: Record<string, Span> = { name: name.span };
  const values: Partial<Record<(typeof LLM_MEDICATION_FIELDS)[number], string>> = {};
  for (const field of LLM_MEDICATION_FIELDS) {
    const value = med[field];
    if (value === null || value.trim() === '') continue;
    const hit = groundValue(ix, value, name.span.start);
    if (!hit) {
      warnings.push(ungrounded(`${path}.${field}`));
      continue;
    }
    spans[field] = hit.span;
    values[field] = ix.source.slice(hit.span.start, hit.span.end);
  }
  const all = Object.values(spans);
  const region = { start: Math.min(...all.map((s) => s.start)), end: Math.max(...all.map((s) => s.end)) };
  const ruled = rulesOn(ix.source, region).medications
    .map((m) => ({ ...m, span: shift(m.span, region.start), spans: Object.fromEntries(Object.entries(m.spans).map(([k, s]) => [k, shift(s, region.start)])) }))
    .find((m) => overlaps(m.spans['name'] ?? m.span, name.span));
  const sigText = values.sig ?? null;
  const sig = ruled ? null : parseSig(sigText ?? ix.source.slice(name.span.end, region.end));
  const text = ix.source.slice(name.span.start, name.span.end);
  const pick = (field: 'strength' | 'form' | 'route' | 'dose' | 'frequency' | 'duration'): string | null =>
    ruled?.[field] ?? (sig && field !== 'strength' && field !== 'form' ? sig[field] : null) ?? values[field] ?? null;
  return {
    text: ruled?.text ?? text,
    name: ruled?.name ?? text.toLowerCase(),
    rxcui: ruled?.rxcui ?? null,
    strength: pick('strength'),
    form: pick('form'),
    route: pick('route'),
    dose: pick('dose'),
    frequency: pick('frequency'),
    duration: pick('duration'),
    as_needed: ruled?.as_needed ?? sig?.as_needed ?? med.as_needed,
    as_needed_reason: ruled?.as_needed_reason ?? sig?.as_needed_reason ?? null,
    status: ruled?.status ?? null,
    sig: ruled?.sig ?? sigText,
    dosage: ruled?.dosage ?? sig?.dosage ?? [],
    span: ruled ? { start: Math.min(ruled.span.start, region.start), end: Math.max(ruled.span.end, region.end) } : region,
    spans: { ...spans, ...(ruled?.spans ?? {}) },
    confidence: ruled ? RULES_CONFIRMED_CONFIDENCE : LLM_ONLY_CONFIDENCE,
  };
}

function groundDisease(ix: GroundingIndex, d: LlmDisease, path: string, warnings: Warning[]): Disease | null {
  const hit = groundValue(ix, d.text);
  if (!hit) {
    warnings.push(ungrounded(`${path}.text`));
    return null;
  }
  const text = ix.source.slice(hit.span.start, hit.span.end);
  const ruled = rulesOn(ix.source, hit.span).diseases[0];
  return {
    text,
    display: ruled?.display ?? text,
    code: ruled?.code ?? null,
    assertion: d.assertion,
    span: hit.span,
    confidence: ruled ? RULES_CONFIRMED_CONFIDENCE : LLM_ONLY_CONFIDENCE,
  };
}

/** A model's plan step kept as the note's own words where it was found; dropped (warned) when not found. */
function groundStep(ix: GroundingIndex, step: LlmStep, path: string, warnings: Warning[]): PlanStep | null {
  const hit = groundValue(ix, step.text);
  if (!hit || hit.span.end - hit.span.start > 300) {
    warnings.push(ungrounded(`${path}.text`));
    return null;
  }
  return { kind: step.kind, text: ix.source.slice(hit.span.start, hit.span.end), span: hit.span };
}

/** Grounds and normalises `output` against `source`. Pure; never throws on model output. */
export function groundLlmOutput(source: string, output: LlmOutput): GroundedOutput {
  const ix = buildGroundingIndex(source);
  const warnings: Warning[] = output.invalid.map((path) => ({ code: 'MODEL_OUTPUT_INVALID', message: `${path} does not match the schema; dropped` }));
  const medications = output.medications.flatMap((m, i) => groundMedication(ix, m, `medications[${i}]`, warnings) ?? []);
  const diseases = output.diseases.flatMap((d, i) => groundDisease(ix, d, `diseases[${i}]`, warnings) ?? []);
  const steps = output.steps.flatMap((s, i) => groundStep(ix, s, `plan_steps[${i}]`, warnings) ?? []);
  let doctor: Prescriber | null = null;
  if (output.doctor !== null && output.doctor.trim() !== '') {
    const hit = groundValue(ix, output.doctor);
    if (!hit) warnings.push(ungrounded('doctor'));
    else {
      const text = source.slice(hit.span.start, hit.span.end);
      doctor = { text, name: text, title: null, credentials: [], license: null, npi: null, span: hit.span, confidence: LLM_ONLY_CONFIDENCE };
    }
  }
  return { diseases, medications, doctor, steps, warnings };
}
