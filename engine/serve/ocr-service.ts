/**
 * The handler behind `wc.engine.ocr`. An engine without an OCR model still answers, with
 * `OCR_NOT_AVAILABLE`, so the gateway can tell "no OCR anywhere" (415) from "no engine" (503).
 * Images are re-encoded by sanitize-image.ts first (corrupt bytes would crash the decoder), so
 * bytes that do not decode are a client error (400, reason `invalid_image`). Word boxes stay in
 * the engine: the gateway needs text.
 */
import type { OcrReply } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { OcrMime, OcrModel } from '../providers/ocr-model.js';
import type { AdmissionGate } from './admission-gate.js';
import { sanitizeImage } from './sanitize-image.js';

export interface OcrHandlerOptions {
  /** null when the engine has no OCR provider configured or it failed to start. */
  ocr: OcrModel | null;
  gate: AdmissionGate;
}

export type OcrHandler = (request: { mime: OcrMime; bytes_b64: string }) => Promise<OcrReply>;

export function createOcrHandler(options: OcrHandlerOptions): OcrHandler {
  return async ({ mime, bytes_b64 }) => {
    const { ocr, gate } = options;
    if (!ocr) throw new WardClerkError('OCR_NOT_AVAILABLE', 'This engine has no OCR model', { details: { mime } });
    const raw = new Uint8Array(Buffer.from(bytes_b64, 'base64'));
    const result = await gate.run(async () => {
      if (mime === 'application/pdf') return ocr.recognize({ bytes: raw, mime });
      return ocr.recognize({ bytes: await sanitizeImage(raw, mime), mime: 'image/png' });
    });
    return {
      provider: ocr.provider,
      pages: result.pages.map((p) => ({ index: p.index, text: p.text, confidence: p.confidence, ...(p.rotation ? { rotation: p.rotation } : {}) })),
    };
  };
}
