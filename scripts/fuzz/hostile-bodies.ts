/**
 * Hostile request bodies for the fuzz suite: plausible bodies for a route with wrong types and
 * missing or extra fields, random JSON, malformed JSON, huge strings, deep nesting, malformed
 * multipart, binary garbage. Each generator returns the bytes and the content type to claim.
 */
import type { Rng } from './prng.js';

export interface Body {
  kind: string;
  bytes: Buffer;
  contentType?: string;
}

const WEIRD_STRINGS = ['', ' ', '\u0000', '\ud800', '😀'.repeat(50), '<script>alert(1)</script>', "' OR 1=1 --", '../../../../etc/passwd', '%00', '{{7*7}}', '\r\nX-Injected: 1', 'a'.repeat(10_000), '١٢٣', 'NaN', '-0', '1e309'];

/** A random JSON value (bounded size). */
export function randomJson(rng: Rng, depth = 0): unknown {
  const k = rng.int(0, depth > 3 ? 5 : 8);
  switch (k) {
    case 0: return null;
    case 1: return rng.chance(0.5);
    case 2: return rng.pick([0, -1, 1.5, 2 ** 53 + 1, -(2 ** 31), 1e308, rng.int(-1e6, 1e6)]);
    case 3: return rng.pick(WEIRD_STRINGS);
    case 4: return String.fromCharCode(...Array.from({ length: rng.int(0, 40) }, () => rng.int(1, 0xd7ff)));
    case 5: return rng.pick(['text', 'items', 'name', 'url', 'tenant_id', 'messages']);
    case 6: return Array.from({ length: rng.int(0, 5) }, () => randomJson(rng, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(0, 5); i > 0; i--) o[rng.pick(['text', 'items', 'name', 'url', 'events', 'secret', 'scopes', 'status', 'messages', 'max_tokens', 'json_schema', 'tenant_id', '__proto__', 'constructor', rng.pick(WEIRD_STRINGS)])] = randomJson(rng, depth + 1);
      return o;
    }
  }
}

/** Replaces some leaves of `value` by values of another type, drops or adds keys. */
export function mutate(rng: Rng, value: unknown, depth = 0): unknown {
  if (depth > 6) return value;
  if (rng.chance(0.15)) return randomJson(rng, depth);
  if (Array.isArray(value)) {
    const out = value.map((v) => mutate(rng, v, depth + 1));
    if (rng.chance(0.2)) out.push(randomJson(rng, depth + 1));
    if (rng.chance(0.1)) return Array.from({ length: rng.int(1000, 5000) }, () => out[0] ?? null);
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!rng.chance(0.15)) out[k] = mutate(rng, v, depth + 1);
    if (rng.chance(0.2)) out[rng.pick(['extra', '__proto__', 'constructor', 'prototype', 'x'.repeat(300)])] = randomJson(rng, depth + 1);
    return out;
  }
  return value;
}

/** `{"a":{"a":…}}` or `[[[…]]]` nested `depth` deep, as text (JSON.stringify would overflow). */
export function deepJson(depth: number, array: boolean, inside = '1'): string {
  return array ? '['.repeat(depth) + inside + ']'.repeat(depth) : '{"a":'.repeat(depth) + inside + '}'.repeat(depth);
}

function malformedJson(rng: Rng, valid: string): string {
  switch (rng.int(0, 7)) {
    case 0: return valid.slice(0, rng.int(0, Math.max(0, valid.length - 1)));
    case 1: return valid + rng.pick(['}', ']', ',', 'garbage', '\u0000', '{}']);
    case 2: return valid.replace(/"/, "'");
    case 3: return '{"text":"\\ud800\\udc00\\u12"}';
    case 4: return '{"text": NaN, "x": undefined}';
    case 5: return '\ufeff' + valid;
    case 6: return '{"a":1,"a":2,' + '"b":'.repeat(3);
    default: return rng.bytes(rng.int(1, 200)).toString('latin1');
  }
}

function multipart(rng: Rng, text: string): Body {
  const boundary = rng.pick(['XyZ', '----wc' + rng.int(0, 1e9), '', 'a'.repeat(80), '"quoted"', '--']);
  const parts = [
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${rng.pick(['note.pdf', '../../etc/passwd', 'a'.repeat(500), '\u0000.png', 'x.png'])}"\r\nContent-Type: ${rng.pick(['application/pdf', 'image/png', 'text/plain', 'image/tiff', 'bogus/type'])}\r\n\r\n`,
    rng.chance(0.5) ? text : rng.bytes(rng.int(0, 4096)).toString('latin1'),
    rng.pick([`\r\n--${boundary}--\r\n`, '', `\r\n--${boundary}\r\n`, `\r\n--other--\r\n`, '\r\n--']),
  ];
  if (rng.chance(0.3)) parts.unshift(`--${boundary}\r\nContent-Disposition: form-data; name="patient_ref"\r\n\r\nMRN-1\r\n`);
  if (rng.chance(0.2)) parts[0] = parts[0]!.replace('Content-Disposition', 'X-Garbage');
  if (rng.chance(0.15)) parts[0] = `--${boundary}\r\n` + 'X-H: ' + 'h'.repeat(20_000) + '\r\n\r\n';
  const ct = rng.pick([`multipart/form-data; boundary=${boundary}`, 'multipart/form-data', `multipart/form-data; boundary="${boundary}"`, `multipart/mixed; boundary=${boundary}`]);
  return { kind: 'multipart', bytes: Buffer.from(parts.join(''), 'latin1'), contentType: ct };
}

/** A hostile body for a route whose plausible body is `sample` (undefined: a route without a body). */
export function hostileBody(rng: Rng, sample: unknown, contentTypes: readonly string[]): Body {
  const valid = sample === undefined ? '{}' : JSON.stringify(sample);
  const json = 'application/json';
  const r = rng.int(0, 99);
  if (r < 25) return { kind: 'mutated-json', bytes: Buffer.from(JSON.stringify(mutate(rng, sample ?? {}))), contentType: json };
  if (r < 35) return { kind: 'random-json', bytes: Buffer.from(JSON.stringify(randomJson(rng)) ?? 'null'), contentType: json };
  if (r < 47) return { kind: 'malformed-json', bytes: Buffer.from(malformedJson(rng, valid), 'latin1'), contentType: json };
  if (r < 55) {
    const n = rng.pick([70_000, 300_000, 1_100_000, 3_000_000]);
    const key = rng.pick(['text', 'name', 'url', 'secret', 'tenant_id', 'email', 'password']);
    return { kind: `huge-string-${n}`, bytes: Buffer.from(`{"${key}":"${'A'.repeat(n)}"}`), contentType: json };
  }
  if (r < 63) {
    const depth = rng.pick([500, 5_000, 20_000, 100_000]);
    const where = rng.int(0, 2);
    const deep = deepJson(depth, rng.chance(0.5));
    const text = where === 0 ? deep : where === 1 ? `{"json_schema":${deep},"messages":[{"role":"user","content":"x"}],"max_tokens":4}` : `{"items":[{"text":"x","meta":${deep}}]}`;
    return { kind: `deep-${depth}`, bytes: Buffer.from(text), contentType: json };
  }
  if (r < 73) return multipart(rng, 'Metformin 500 mg BID');
  if (r < 78) return { kind: 'binary', bytes: rng.bytes(rng.int(1, 20_000)), contentType: rng.pick(['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'application/octet-stream']) };
  if (r < 83) return { kind: 'urlencoded', bytes: Buffer.from(rng.pick(['grant_type=client_credentials&client_id=%zz', 'a=1&a=2&' + 'b='.repeat(5000), '%%%%', 'grant_type=' + 'x'.repeat(100_000)])), contentType: 'application/x-www-form-urlencoded' };
  if (r < 88) return { kind: 'wrong-content-type', bytes: Buffer.from(valid), contentType: rng.pick(['text/plain', 'application/xml', 'application/json; charset=utf-16', 'application/json; charset=bogus', '*/*', '', 'application/json, text/plain', 'multipart/form-data; boundary=', 'application/x-www-form-urlencoded']) };
  if (r < 92) return { kind: 'no-content-type', bytes: Buffer.from(valid) };
  if (r < 95) return { kind: 'empty', bytes: Buffer.alloc(0), contentType: rng.pick([json, ...contentTypes]) };
  return { kind: 'plausible', bytes: Buffer.from(valid), contentType: contentTypes.includes(json) || contentTypes.length === 0 ? json : rng.pick(contentTypes) };
}
