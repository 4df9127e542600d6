/**
 * `wc.engine.extract-batch`: many texts in one NATS request, for batch jobs. The texts run one
 * after another on the chosen extractor (the rules engine is synchronous CPU work, so running them
 * concurrently would gain nothing), and each text gets its own result: one bad note fails itself,
 * never its neighbours. A non-coded failure becomes INTERNAL with a generic message (no note text).
 */
import type { ExtractResult } from '../../core/contracts.js';
import { WardClerkError, isWardClerkError } from '../../core/errors.js';
import type { Extractor } from '../providers/extractor.js';

export interface ExtractBatchDeps {
  /** The extractor for an optional id (undefined = the default); throws MODEL_NOT_FOUND for an unknown one. */
  choose(extractor: string | undefined): Extractor;
  /** Called around the batch so the engine's queue depth counts it. */
  onStart?(count: number): void;
  onEnd?(count: number): void;
}

/** Extracts every text in order; resolves with one result per text. */
export function createExtractBatchHandler(deps: ExtractBatchDeps) {
  return async ({ texts, extractor }: { texts: string[]; extractor?: string | undefined }): Promise<{ results: ExtractResult[] }> => {
    const chosen = deps.choose(extractor);
    deps.onStart?.(texts.length);
    try {
      const results: ExtractResult[] = [];
      for (const text of texts) {
        try {
          if (text.trim() === '') throw new WardClerkError('EMPTY_TEXT', 'The note text is empty');
          results.push({ ok: true, extraction: await chosen.extract({ text }) });
        } catch (e) {
          const coded = isWardClerkError(e) ? e : new WardClerkError('INTERNAL', 'Extraction failed');
          results.push({ ok: false, error: { code: coded.code, message: coded.message, details: coded.details } });
        }
      }
      return { results };
    } finally {
      deps.onEnd?.(texts.length);
    }
  };
}
