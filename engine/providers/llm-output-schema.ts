/**
 * What the llm extractor asks a model for: a compact JSON schema (diseases, medications with
 * their fields, doctor, and recurring non-medication plan steps), every string a verbatim copy from the note. String lengths and item
 * counts are bounded so a grammar-constrained local model cannot run on forever inside a string.
 * The model's answer is `unknown` until `parseLlmOutput` has checked it item by item.
 */
import { z } from 'zod';
import { ASSERTIONS, PLAN_STEP_KINDS } from '../../core/clinical/extraction.js';
import { WardClerkError } from '../../core/errors.js';
import type { JsonSchema } from './text-model.js';

const text = (maxLength: number) => ({ type: 'string', maxLength });
const nullableText = (maxLength: number) => ({ oneOf: [{ type: 'null' }, text(maxLength)] });

export const LLM_MEDICATION_FIELDS = ['strength', 'form', 'route', 'dose', 'frequency', 'duration', 'sig'] as const;
export type LlmMedicationField = (typeof LLM_MEDICATION_FIELDS)[number];

/** The JSON schema sent to the model (grammar for llama, tool schema for Bedrock). */
export const LLM_EXTRACTION_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    diseases: {
      type: 'array',
      maxItems: 20,
      items: { type: 'object', properties: { text: text(120), assertion: { enum: [...ASSERTIONS] } }, required: ['text', 'assertion'] },
    },
    medications: {
      type: 'array',
      maxItems: 30,
      items: {
        type: 'object',
        properties: {
          name: text(80),
          ...Object.fromEntries(LLM_MEDICATION_FIELDS.map((f) => [f, nullableText(f === 'sig' ? 200 : 60)])),
          as_needed: { type: 'boolean' },
        },
        required: ['name', ...LLM_MEDICATION_FIELDS, 'as_needed'],
      },
    },
    doctor: nullableText(80),
    steps: {
      type: 'array',
      maxItems: 20,
      items: { type: 'object', properties: { kind: { enum: [...PLAN_STEP_KINDS] }, text: text(300) }, required: ['kind', 'text'] },
    },
  },
  required: ['diseases', 'medications', 'doctor'],
};

const nullableString = z.string().nullable().optional().transform((v) => v ?? null);

const LlmDiseaseSchema = z.object({ text: z.string(), assertion: z.enum(ASSERTIONS).catch('present') });
const LlmMedicationSchema = z.object({
  name: z.string(),
  ...Object.fromEntries(LLM_MEDICATION_FIELDS.map((f) => [f, nullableString])) as Record<LlmMedicationField, typeof nullableString>,
  as_needed: z.boolean().optional().transform((v) => v ?? false),
});
const LlmStepSchema = z.object({ kind: z.enum(PLAN_STEP_KINDS).catch('other'), text: z.string() });
export type LlmDisease = z.infer<typeof LlmDiseaseSchema>;
export type LlmMedication = z.infer<typeof LlmMedicationSchema>;
export type LlmStep = z.infer<typeof LlmStepSchema>;

export interface LlmOutput {
  diseases: LlmDisease[];
  medications: LlmMedication[];
  doctor: string | null;
  /** Recurring non-medication steps (absent from older answers: none). */
  steps: LlmStep[];
  /** Items that did not match the schema, by path (they are dropped, not guessed at). */
  invalid: string[];
}

/** Checks model output item by item; not an object at all → `MODEL_OUTPUT_INVALID`. */
export function parseLlmOutput(value: unknown, modelId: string): LlmOutput {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WardClerkError('MODEL_OUTPUT_INVALID', `Output of ${modelId} is not a JSON object`, { details: { modelId } });
  }
  const raw = value as Record<string, unknown>;
  const invalid: string[] = [];
  const items = <T>(key: string, schema: z.ZodType<T>): T[] => {
    const list = raw[key];
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      invalid.push(key);
      return [];
    }
    return list.flatMap((item, i) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) return [parsed.data];
      invalid.push(`${key}[${i}]`);
      return [];
    });
  };
  const diseases = items('diseases', LlmDiseaseSchema);
  const medications = items('medications', LlmMedicationSchema);
  const steps = items('steps', LlmStepSchema);
  let doctor: string | null = null;
  if (typeof raw['doctor'] === 'string') doctor = raw['doctor'];
  else if (raw['doctor'] !== null && raw['doctor'] !== undefined) invalid.push('doctor');
  return { diseases, medications, doctor, steps, invalid };
}
