/**
 * The `llm` extractor: a TextModel prompted with the compact extraction schema. The model only
 * locates facts; everything it returns is grounded in the note and normalised by the rules engine
 * (see ground-llm-output.ts), so its result has the same schema and codes as `rules`.
 */
import type { Extraction } from '../../core/clinical/extraction.js';
import type { ExtractInput, Extractor } from './extractor.js';
import { groundLlmOutput } from './ground-llm-output.js';
import { LLM_EXTRACTION_SCHEMA, parseLlmOutput } from './llm-output-schema.js';
import type { ChatMessage, TextModel } from './text-model.js';
import { throwIfAborted } from './throw-if-aborted.js';

export const LLM_EXTRACTOR_VERSION = '1.0.0';

export interface LlmExtractorOptions {
  model: TextModel;
  /** Registry id; defaults to `llm:<modelId>`. */
  id?: string;
  /** Completion budget; the schema's bounds keep a full answer well under the default. */
  maxTokens?: number;
  /** When true, `close()` closes the model too (the registry built it for this extractor alone). */
  ownsModel?: boolean;
}

const SYSTEM_PROMPT = [
  'You extract facts from a clinical note.',
  'Copy every value exactly as written in the note: same words, same numbers, same abbreviations.',
  'Do not infer, expand, translate or normalise. Use null for a field that is not written.',
  'diseases: conditions mentioned, with assertion present, negated, historical, family, hypothetical or uncertain.',
  'medications: each drug with its strength, form, route, dose, frequency, duration, the full dosing instruction as sig, and as_needed.',
  'doctor: the prescriber name as written, or null.',
  'steps: recurring things the patient must do that are not medicines (check blood sugar, walk, change a dressing), each with its kind and the instruction copied exactly as written, including when and how often.',
  'Answer only with JSON matching the schema.',
].join('\n');

/** The chat messages sent for one note (exported for the bench and for prompt review). */
export function llmExtractionMessages(text: string): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Note:\n${text}` },
  ];
}

/** Creates an llm extractor over `model`. Model errors (truncated/invalid output, provider failures) propagate as coded errors. */
export function createLlmExtractor(options: LlmExtractorOptions): Extractor {
  const { model } = options;
  const id = options.id ?? `llm:${model.modelId}`;
  return {
    id,
    version: LLM_EXTRACTOR_VERSION,
    async extract({ text, signal }: ExtractInput): Promise<Extraction> {
      throwIfAborted(signal);
      const started = performance.now();
      const result = await model.generate({
        messages: llmExtractionMessages(text),
        jsonSchema: LLM_EXTRACTION_SCHEMA,
        maxTokens: options.maxTokens ?? 1024,
        temperature: 0,
        ...(signal ? { signal } : {}),
      });
      const grounded = groundLlmOutput(text, parseLlmOutput(result.json, model.modelId));
      return {
        extractor: id,
        extractor_version: LLM_EXTRACTOR_VERSION,
        latency_ms: performance.now() - started,
        sections: [],
        diseases: grounded.diseases,
        medications: grounded.medications,
        observations: [],
        doctor: grounded.doctor,
        allergies: [],
        warnings: grounded.warnings,
        plan_steps: grounded.steps,
      };
    },
    close: async () => {
      if (options.ownsModel) await model.close();
    },
  };
}
