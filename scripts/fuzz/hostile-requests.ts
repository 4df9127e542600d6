/**
 * One hostile HTTP request for a route, as raw bytes: odd methods, path-traversal and oversized
 * ids, hostile query strings, forged or missing tokens, abusive headers, and bodies framed every
 * way HTTP/1.1 allows and several ways it does not (chunked, malformed chunks, truncated at EOF,
 * conflicting lengths). `wellFramed` says whether a conforming server must answer with a status.
 */
import { hostileBody, type Body } from './hostile-bodies.js';
import type { Rng } from './prng.js';
import type { RawRequest } from './raw-http.js';

export interface FuzzRoute {
  method: string;
  /** Path template with `{param}` placeholders. */
  path: string;
  contentTypes: string[];
  query: string[];
}

export interface FuzzContext {
  host: string;
  /** Valid tokens: a tenant client with every scope, and the operator. */
  clientToken: string;
  operatorToken: string;
  /** Forged tokens (bad signature, alg none, garbage). */
  forged: string[];
  /** Real values per path parameter name, by path prefix (e.g. a prescription id for /api/v1/prescriptions/{id}). */
  realIds(path: string): string[];
  /** A plausible body per "METHOD path". */
  sample(route: FuzzRoute): unknown;
}

export interface FuzzRequest {
  route: string;
  kinds: string[];
  raw: RawRequest;
  wellFramed: boolean;
}

const HOSTILE_IDS = ['../../../../etc/passwd', '..%2f..%2f..%2fetc%2fpasswd', '%2e%2e', '....//....//', 'x'.repeat(5000), '%00', '%ff%fe', '%', '%zz', 'null', 'undefined', '0', '-1', '00000000-0000-0000-0000-000000000000', '😀', '%F0%9F%98%80', "'%20OR%201=1--", '*', '.', '..', 'a;b', 'con', 'store%2F..%2F..', 'wc.store.>'];
const ODD_METHODS = ['PROPFIND', 'TRACE', 'OPTIONS', 'HEAD', 'PATCH', 'PUT', 'DELETE', 'get', 'M-SEARCH', 'FOO', 'POST', 'GET'];

function fillPath(rng: Rng, ctx: FuzzContext, route: FuzzRoute, kinds: string[]): string {
  return route.path.replace(/\{[^}]+\}/g, () => {
    const real = ctx.realIds(route.path);
    if (real.length > 0 && rng.chance(0.4)) return encodeURIComponent(rng.pick(real));
    kinds.push('hostile-id');
    return rng.pick(HOSTILE_IDS);
  });
}

function query(rng: Rng, route: FuzzRoute, kinds: string[]): string {
  if (!rng.chance(0.4)) return '';
  kinds.push('query');
  const keys = [...route.query, 'cursor', 'limit', 'x', '__proto__', 'tenant_id'];
  const vals = ['', '-1', '0', '99999999999', 'abc', '%zz', 'x'.repeat(rng.pick([10, 3000, 12_000])), '2026-13-45', '%00', '[]', '{"$gt":""}', 'eyJhbGciOiJub25lIn0'];
  const parts = Array.from({ length: rng.int(1, 6) }, () => `${rng.pick(keys)}=${rng.pick(vals)}`);
  if (rng.chance(0.1)) parts.push('&&&==&');
  return '?' + parts.join('&');
}

function authHeader(rng: Rng, ctx: FuzzContext, kinds: string[]): string[] {
  const r = rng.int(0, 9);
  if (r < 4) return [`Authorization: Bearer ${ctx.clientToken}`];
  if (r < 6) return [`Authorization: Bearer ${ctx.operatorToken}`];
  if (r < 7) return [];
  kinds.push('forged-token');
  return [rng.pick([
    `Authorization: Bearer ${rng.pick(ctx.forged)}`,
    'Authorization: Basic YWRtaW46YWRtaW4=',
    'Authorization: Bearer',
    `Authorization: Bearer ${'A'.repeat(9000)}`,
    `Authorization: bearer ${ctx.clientToken}x`,
    `Authorization: Bearer ${ctx.clientToken}, Bearer ${ctx.operatorToken}`,
  ])];
}

function abusiveHeaders(rng: Rng, kinds: string[]): { lines: string[]; wellFramed: boolean } {
  if (!rng.chance(0.2)) return { lines: [], wellFramed: true };
  const r = rng.int(0, 9);
  kinds.push(`headers-${r}`);
  switch (r) {
    case 0: return { lines: [`X-Big: ${'b'.repeat(rng.pick([8000, 20_000, 70_000]))}`], wellFramed: true };
    case 1: return { lines: Array.from({ length: rng.pick([100, 300, 2500]) }, (_, i) => `X-H${i}: ${i}`), wellFramed: true };
    case 2: return { lines: ['X-Request-Id: ../../etc\u00ff', 'Accept: */*;q=abc'], wellFramed: true };
    case 3: return { lines: ['Bad Header: x'], wellFramed: false };
    case 4: return { lines: ['X-Fold: a', ' folded continuation'], wellFramed: false };
    case 5: return { lines: ['Expect: 100-continue'], wellFramed: true };
    case 6: return { lines: ['Content-Encoding: gzip'], wellFramed: true };
    case 7: return { lines: ['Origin: https://evil.example', 'Access-Control-Request-Method: DELETE'], wellFramed: true };
    case 8: return { lines: ['X-Forwarded-For: 1.2.3.4, ' + '9.9.9.9, '.repeat(500)], wellFramed: true };
    default: return { lines: ['Accept-Encoding: ' + 'gzip, '.repeat(1000) + 'br'], wellFramed: true };
  }
}

/** How the body goes on the wire; returns the header lines and chunks, and whether it is valid HTTP/1.1. */
function frame(rng: Rng, body: Body, kinds: string[]): { lines: string[]; chunks: RawRequest['chunks']; end: boolean; wellFramed: boolean } {
  const b = body.bytes;
  const r = rng.int(0, 99);
  if (r < 65) return { lines: [`Content-Length: ${b.length}`], chunks: [b], end: false, wellFramed: true };
  if (r < 80) {
    kinds.push('chunked');
    const chunks: Buffer[] = [];
    for (let i = 0; i < b.length; ) {
      const n = Math.min(b.length - i, rng.int(1, 64 * 1024));
      chunks.push(Buffer.from(`${n.toString(16)}\r\n`), b.subarray(i, i + n), Buffer.from('\r\n'));
      i += n;
    }
    chunks.push(Buffer.from('0\r\n\r\n'));
    return { lines: ['Transfer-Encoding: chunked'], chunks: [Buffer.concat(chunks)], end: false, wellFramed: true };
  }
  if (r < 85) {
    kinds.push('bad-chunked');
    const bad = rng.pick(['zz\r\nabc\r\n0\r\n\r\n', `${'f'.repeat(20)}\r\nabc`, '5\r\nabc\r\n0\r\n\r\n', '3\nabc\n0\n\n', `-1\r\n\r\n`]);
    return { lines: ['Transfer-Encoding: chunked'], chunks: [Buffer.from(bad)], end: true, wellFramed: false };
  }
  if (r < 92) {
    kinds.push('truncated');
    const cut = rng.int(0, Math.max(0, b.length - 1));
    return { lines: [`Content-Length: ${b.length + rng.int(1, 100_000)}`], chunks: [b.subarray(0, cut)], end: true, wellFramed: false };
  }
  if (r < 95) {
    kinds.push('cl-and-te');
    return { lines: [`Content-Length: ${b.length}`, 'Transfer-Encoding: chunked'], chunks: [b], end: true, wellFramed: false };
  }
  if (r < 98) {
    kinds.push('two-lengths');
    return { lines: [`Content-Length: ${b.length}`, `Content-Length: ${b.length + 1}`], chunks: [b], end: true, wellFramed: false };
  }
  kinds.push('slow-body');
  const half = b.subarray(0, Math.floor(b.length / 2));
  return { lines: [`Content-Length: ${b.length}`], chunks: [half, { pauseMs: rng.int(50, 400) }, b.subarray(half.length)], end: false, wellFramed: true };
}

/** Builds one hostile request for `route`. */
export function hostileRequest(rng: Rng, ctx: FuzzContext, route: FuzzRoute): FuzzRequest {
  const kinds: string[] = [];
  const method = rng.chance(0.85) ? route.method : (kinds.push('odd-method'), rng.pick(ODD_METHODS));
  const path = fillPath(rng, ctx, route, kinds) + query(rng, route, kinds);
  const hasBody = method !== 'GET' && method !== 'HEAD' && (route.method !== 'GET' || rng.chance(0.2));
  const body = hasBody ? hostileBody(rng, ctx.sample(route), route.contentTypes) : null;
  if (body) kinds.push(body.kind);
  const headers = [`${method} ${path} HTTP/1.1`, `Host: ${ctx.host}`, 'Connection: close', ...authHeader(rng, ctx, kinds)];
  const abuse = abusiveHeaders(rng, kinds);
  headers.push(...abuse.lines);
  let chunks: RawRequest['chunks'] = [];
  let end = false;
  let wellFramed = abuse.wellFramed;
  if (body) {
    if (body.contentType !== undefined) headers.push(`Content-Type: ${body.contentType}`);
    const f = frame(rng, body, kinds);
    headers.push(...f.lines);
    chunks = f.chunks;
    end = f.end;
    wellFramed &&= f.wellFramed;
  }
  const head = Buffer.from(headers.join('\r\n') + '\r\n\r\n', 'latin1');
  return { route: `${route.method} ${route.path}`, kinds, raw: { chunks: [head, ...chunks], endAfterWrite: end }, wellFramed };
}
