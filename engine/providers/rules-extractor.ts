/**
 * The `rules` extractor: the deterministic clinical rules engine (engine/clinical/extract.ts)
 * behind the `Extractor` interface. It is the default when no model is configured, and the
 * normaliser the llm extractor runs its grounded values through.
 */
import { extractClinical } from '../clinical/extract.js';
import type { Extraction } from '../../core/clinical/extraction.js';
import type { ExtractInput, Extractor } from './extractor.js';
import { throwIfAborted } from './throw-if-aborted.js';

export const RULES_EXTRACTOR_VERSION = '1.0.0';

export interface RulesExtractorOptions {
  /** Clock for relative dates ("since yesterday"); tests pin it. */
  now?: () => Date;
}

/** Creates the rules extractor (id `rules`). Synchronous work; the signal is checked before it starts. */
export function createRulesExtractor(options: RulesExtractorOptions = {}): Extractor {
  return {
    id: 'rules',
    version: RULES_EXTRACTOR_VERSION,
    async extract({ text, signal, ocrConfidence }: ExtractInput): Promise<Extraction> {
      throwIfAborted(signal);
      return extractClinical(text, { ...(options.now ? { now: options.now() } : {}), ...(ocrConfidence === undefined ? {} : { ocrConfidence }) });
    },
  };
}
