/**
 * How the prescription intake reaches OCR: `wc.engine.ocr` over NATS, exposed to request handlers
 * as the Hono context variable `ocr` (set by `provideEngineOcr`, registered before the routes that
 * read it). Uploads above MAX_OCR_BYTES are refused with 413 because the bytes travel base64 in one
 * NATS message (the generated nats config allows 8 MB).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Bus } from '../../core/bus.js';
import { MAX_OCR_BYTES, contracts } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { withRetryAfter } from './engine-calls.js';

export type OcrInputMime = 'image/png' | 'image/jpeg' | 'image/tiff' | 'application/pdf';

/** Recognised text of an image or scanned PDF (pages joined by blank lines) and its lowest page confidence (0–1). */
export type OcrPort = (bytes: Uint8Array, mime: OcrInputMime) => Promise<{ text: string; pages: number; confidence: number }>;

declare module 'hono' {
  interface ContextVariableMap {
    /** Absent when the app was built without engine OCR (then images answer 415). */
    ocr: OcrPort | undefined;
  }
}

/** OCR on whichever engine takes the request; an engine without OCR answers OCR_NOT_AVAILABLE (415). */
export function createEngineOcr(bus: Pick<Bus, 'request'>, timeoutMs: number): OcrPort {
  return async (bytes, mime) => {
    if (bytes.byteLength > MAX_OCR_BYTES) {
      throw new WardClerkError('PAYLOAD_TOO_LARGE', `Images and scans for OCR are limited to ${MAX_OCR_BYTES} bytes`, { details: { max_bytes: MAX_OCR_BYTES } });
    }
    try {
      const reply = await bus.request(contracts.engineOcr, { mime, bytes_b64: Buffer.from(bytes).toString('base64') }, { timeoutMs });
      // The weakest page decides: one blurred page is enough to doubt what was read from it.
      // Engines report a mean word confidence of 0–100 per page; extractors take 0–1.
      const lowest = reply.pages.length ? Math.min(...reply.pages.map((p) => p.confidence)) : 0;
      const confidence = Math.min(1, Math.max(0, lowest / 100));
      return { text: reply.pages.map((p) => p.text).join('\n\n'), pages: reply.pages.length, confidence };
    } catch (e) {
      throw withRetryAfter(e);
    }
  };
}

/** Makes `c.get('ocr')` available to every route registered after this call. */
export function provideEngineOcr(app: OpenAPIHono<AppEnv>, deps: Pick<GatewayDeps, 'bus' | 'config'>): void {
  const ocr = createEngineOcr(deps.bus, deps.config.engineTimeoutMs);
  app.use('*', async (c, next) => {
    c.set('ocr', ocr);
    await next();
  });
}
