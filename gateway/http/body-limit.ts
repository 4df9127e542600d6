/**
 * One middleware bounds every request body, for every route, while it streams. A declared
 * Content-Length over the route's limit (gateway/http/body-limits.ts) is refused before a byte is
 * read; a chunked body is wrapped in a counting stream that fails the moment the count passes the
 * limit, so whoever reads it (a validator, parseBody, the OAuth form reader) gets an error after at
 * most `limit` bytes instead of buffering the whole upload. JSON bodies are also scanned for
 * nesting depth on the way through. Nothing is buffered here: a route that refuses a request
 * before reading (401, 403) never pulls the body at all, and @hono/node-server drains and closes
 * the socket after the answer.
 *
 * Readers turn a stream error into their own error (hono's validator says "Malformed JSON"), so
 * the error that failed the stream is remembered per request and {@link bodyErrorOf} lets the
 * one error mapping in app.ts answer with it (413 PAYLOAD_TOO_LARGE or 400 JSON_TOO_DEEP).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from './app-env.js';
import { bodyLimitFor } from './body-limits.js';
import { MAX_JSON_DEPTH, createJsonDepthScanner } from './json-depth.js';

const bodyErrors = new WeakMap<Context, WardClerkError>();

/** The error that stopped this request's body stream, if one did. */
export function bodyErrorOf(c: Context): WardClerkError | undefined {
  return bodyErrors.get(c);
}

function tooLarge(maxBytes: number): WardClerkError {
  return new WardClerkError('PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBytes} bytes`, { details: { max_bytes: maxBytes } });
}

function tooDeep(): WardClerkError {
  return new WardClerkError('JSON_TOO_DEEP', `JSON nesting exceeds ${MAX_JSON_DEPTH} levels`, { details: { max_depth: MAX_JSON_DEPTH } });
}

function overloaded(): WardClerkError {
  return new WardClerkError('OVERLOADED', 'Too many large request bodies at once; retry shortly', { retryAfter: 1, details: { reason: 'body_bytes_in_flight' } });
}

/**
 * Bytes of request bodies read and not yet answered, across all requests: each route's limit
 * bounds one body, this bounds them all together (many parallel uploads answer 503 OVERLOADED with
 * Retry-After instead of growing memory without end).
 */
export interface BodyBudget {
  take(bytes: number): boolean;
  release(bytes: number): void;
  readonly used: number;
}

export function createBodyBudget(maxBytes: number): BodyBudget {
  let used = 0;
  return {
    take(bytes) {
      if (used + bytes > maxBytes) return false;
      used += bytes;
      return true;
    },
    release(bytes) {
      used = Math.max(0, used - bytes);
    },
    get used() {
      return used;
    },
  };
}

const isJsonType = (type: string) => /^application\/(.+\+)?json\b/i.test(type.trim());

/**
 * Wraps `source` so it errors with PAYLOAD_TOO_LARGE once more than `maxBytes` have passed, or with
 * JSON_TOO_DEEP when `scan` rejects a chunk. Pull-based: bytes move only as fast as the reader asks.
 */
export function limitStream(
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
  scan: ((chunk: Uint8Array) => boolean) | null,
  onError: (e: WardClerkError) => void,
  budget: BodyBudget | null = null,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let size = 0;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, e: WardClerkError) => {
    onError(e);
    controller.error(e);
    // Stop pulling from the socket; the HTTP layer drains and closes it after the answer.
    reader.releaseLock();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      size += value.byteLength;
      if (size > maxBytes) return fail(controller, tooLarge(maxBytes));
      if (budget && !budget.take(value.byteLength)) return fail(controller, overloaded());
      if (scan && !scan(value)) return fail(controller, tooDeep());
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

const BODY_MEMBERS = new Set<PropertyKey>(['body', 'bodyUsed', 'arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text', 'clone']);

/**
 * `raw` with its body members served by the limited request, built on first use. Only a route
 * that reads the body wraps it: re-wrapping a body nobody reads makes @hono/node-server's socket
 * clean-up answer the client 400 instead of the route's own answer.
 */
function lazilyLimited(raw: Request, readable: () => Request): Request {
  return new Proxy(raw, {
    get(target, key) {
      const from = BODY_MEMBERS.has(key) ? readable() : target;
      const value: unknown = Reflect.get(from, key, from);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(from) : value;
    },
  });
}

export interface LimitBodiesOptions {
  limitFor?: (path: string, contentType: string) => number;
  /** Most body bytes held by all requests in flight together (default 128 MiB). */
  inFlightBytes?: number;
}

/** The middleware: register once, on every route (`app.use('*', limitBodies())`). */
export function limitBodies(options: LimitBodiesOptions = {}): MiddlewareHandler<AppEnv> {
  const limitFor = options.limitFor ?? bodyLimitFor;
  const shared = createBodyBudget(options.inFlightBytes ?? 128 * 1024 * 1024);
  return async (c, next) => {
    const raw = c.req.raw;
    if (raw.body === null) return next();
    const type = c.req.header('content-type') ?? '';
    const maxBytes = limitFor(c.req.path, type);
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) {
      const n = Number(declared);
      if (!Number.isSafeInteger(n) || n < 0) throw new WardClerkError('BAD_REQUEST', 'Invalid Content-Length');
      if (n > maxBytes) {
        const e = tooLarge(maxBytes);
        bodyErrors.set(c, e);
        throw e;
      }
    }
    const scan = isJsonType(type) ? createJsonDepthScanner(MAX_JSON_DEPTH) : null;
    let limited: Request | null = null;
    // This request's share of the shared budget, returned when it has been answered.
    let held = 0;
    const mine: BodyBudget = {
      take: (n) => shared.take(n) && ((held += n), true),
      release: () => undefined,
      get used() {
        return held;
      },
    };
    const readable = () => {
      limited ??= new Request(raw, { body: limitStream(raw.body!, maxBytes, scan, (e) => bodyErrors.set(c, e), mine), duplex: 'half' } as RequestInit);
      return limited;
    };
    c.req.raw = lazilyLimited(raw, readable);
    try {
      await next();
    } finally {
      shared.release(held);
    }
  };
}
