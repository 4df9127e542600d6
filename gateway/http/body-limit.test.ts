import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WardClerkError } from '../../core/errors.js';
import { createBodyBudget, limitStream } from './body-limit.js';
import { bodyLimitFor } from './body-limits.js';
import { createJsonDepthScanner } from './json-depth.js';

function source(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let i = 0;
  let bytes = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks[i++];
      if (!next) return c.close();
      bytes += next.length;
      c.enqueue(next);
    },
  });
  return { stream, pulled: () => bytes };
}

async function drain(s: ReadableStream<Uint8Array>): Promise<{ bytes: number; error: WardClerkError | null }> {
  const r = s.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await r.read();
      if (done) return { bytes, error: null };
      bytes += value.length;
    }
  } catch (e) {
    return { bytes, error: e as WardClerkError };
  }
}

describe('limitStream', () => {
  it('passes a body within the limit whole, and stops one past it after at most one chunk more (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5000 }), { maxLength: 30 }), fc.integer({ min: 0, max: 60_000 }), async (sizes, max) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        const src = source(sizes.map((n) => new Uint8Array(n)));
        const seen: WardClerkError[] = [];
        const out = await drain(limitStream(src.stream, max, null, (e) => seen.push(e)));
        if (total <= max) {
          expect(out).toEqual({ bytes: total, error: null });
        } else {
          expect(out.error?.code).toBe('PAYLOAD_TOO_LARGE');
          expect(seen).toHaveLength(1);
          expect(out.bytes).toBeLessThanOrEqual(max);
          expect(src.pulled()).toBeLessThanOrEqual(max + 5000 + 5000); // the failing chunk (+ one read ahead)
        }
      }),
      { numRuns: 200 },
    );
  });

  it('fails a JSON body nested too deep with JSON_TOO_DEEP', async () => {
    const enc = new TextEncoder();
    const out = await drain(limitStream(source([enc.encode('{"a":'), enc.encode('['.repeat(100))]).stream, 1 << 20, createJsonDepthScanner(64), () => undefined));
    expect(out.error?.code).toBe('JSON_TOO_DEEP');
  });

  it('answers OVERLOADED with Retry-After when the shared budget is spent, and gives bytes back', async () => {
    const budget = createBodyBudget(10_000);
    const held = { n: 0 };
    const mine = { take: (n: number) => budget.take(n) && ((held.n += n), true), release: () => undefined, used: 0 };
    const out = await drain(limitStream(source(Array.from({ length: 5 }, () => new Uint8Array(4000))).stream, 1 << 20, null, () => undefined, mine));
    expect(out.error?.code).toBe('OVERLOADED');
    expect(out.error?.retryAfter).toBeGreaterThan(0);
    budget.release(held.n);
    expect(budget.used).toBe(0);
  });
});

describe('bodyLimitFor', () => {
  it('is small for credentials and admin, upload-sized only where files arrive, moderate elsewhere', () => {
    expect(bodyLimitFor('/api/v1/auth/login', 'application/json')).toBe(16 * 1024);
    expect(bodyLimitFor('/api/v1/oauth/token', 'application/x-www-form-urlencoded')).toBe(16 * 1024);
    expect(bodyLimitFor('/api/v1/admin/tenants/tn_x', 'application/json')).toBe(64 * 1024);
    expect(bodyLimitFor('/api/v1/webhooks', 'application/json')).toBe(64 * 1024);
    expect(bodyLimitFor('/api/v1/prescriptions', 'application/json')).toBe(2 * 1024 * 1024);
    expect(bodyLimitFor('/api/v1/prescriptions', 'multipart/form-data; boundary=x')).toBeGreaterThan(20 * 1024 * 1024);
    expect(bodyLimitFor('/api/v1/some/new/route', 'application/json')).toBe(1024 * 1024);
  });
});
