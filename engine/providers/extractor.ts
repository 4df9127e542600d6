/**
 * The `Extractor` interface: rules, llm and hybrid extractors all return the same `Extraction`
 * (core/clinical/extraction.ts), so the engine and the API never branch on which one ran.
 * Contract: the result parses with `ExtractionSchema`; every span lies inside `text`; an aborted
 * signal rejects with WardClerkError `CANCELLED`; other failures are coded WardClerkErrors.
 */
import type { Extraction } from '../../core/clinical/extraction.js';

export interface ExtractInput {
  text: string;
  /** Lowest OCR page confidence (0–1) when `text` was read by OCR; a low one adds a warning. */
  ocrConfidence?: number;
  signal?: AbortSignal;
}

export interface Extractor {
  /** Registry id, e.g. `rules`, `llm:qwen2.5-1.5b`, `hybrid:qwen2.5-1.5b`; also `Extraction.extractor`. */
  readonly id: string;
  readonly version: string;
  extract(input: ExtractInput): Promise<Extraction>;
  /** Releases the models it owns. Idempotent; optional for stateless extractors. */
  close?(): Promise<void>;
}
