/**
 * Reads a request body as strict UTF-8 JSON before any validator sees it: invalid UTF-8, bodies
 * over the limit and malformed JSON become coded 4xx errors (never silently repaired). Hono caches
 * the raw body, so the OpenAPI validator that runs next parses the same bytes.
 */
import type { Context } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from './app-env.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Returns the raw bytes of the body, refusing more than `maxBytes`. */
export async function readBodyBytes(c: Context<AppEnv>, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new WardClerkError('PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBytes} bytes`, { details: { max_bytes: maxBytes } });
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > maxBytes) {
    throw new WardClerkError('PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBytes} bytes`, { details: { max_bytes: maxBytes } });
  }
  return bytes;
}

/** Decodes strict UTF-8 or throws INVALID_UTF8. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (e) {
    throw new WardClerkError('INVALID_UTF8', 'Request body is not valid UTF-8', { cause: e });
  }
}

/** Parses JSON or throws INVALID_JSON (the message names the position, never the content). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new WardClerkError('INVALID_JSON', 'Request body is not valid JSON', { cause: e });
  }
}

/** Middleware-style check for JSON routes: size, UTF-8, JSON syntax. */
export async function readJsonBody(c: Context<AppEnv>, maxBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'Expected Content-Type: application/json', { details: { expected: 'application/json' } });
  }
  return parseJson(decodeUtf8(await readBodyBytes(c, maxBytes)));
}
