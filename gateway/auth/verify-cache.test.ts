import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import type { TokenService } from './token-service.js';
import { withVerifyCache } from './verify-cache.js';

const tokenWithExp = (exp: number, tag: string) =>
  `h.${Buffer.from(JSON.stringify({ exp, tag })).toString('base64url')}.s`;

function counting(valid: Set<string>) {
  let calls = 0;
  const svc = {
    verify: async (t: string) => {
      calls++;
      if (!valid.has(t)) throw new WardClerkError('INVALID_TOKEN', 'bad');
      return { kind: 'client' as const, sub: 'c', tenantId: 't', scopes: [] };
    },
  } as unknown as TokenService;
  return { svc, calls: () => calls };
}

describe('withVerifyCache', () => {
  it('verifies a token once until it expires, then again', async () => {
    let clock = 1_000_000;
    const tok = tokenWithExp(1_000 + 60, 'a');
    const inner = counting(new Set([tok]));
    const cached = withVerifyCache(inner.svc, { now: () => clock });
    await cached.verify(tok);
    await cached.verify(tok);
    expect(inner.calls()).toBe(1);
    clock = 1_061_000;
    await cached.verify(tok);
    expect(inner.calls()).toBe(2);
  });

  it('never caches a failed verification and evicts past the bound', async () => {
    const good = [0, 1, 2].map((i) => tokenWithExp(2_000_000_000, String(i)));
    const inner = counting(new Set(good));
    const cached = withVerifyCache(inner.svc, { maxEntries: 2 });
    await expect(cached.verify('bad.token.x')).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(cached.verify('bad.token.x')).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    expect(inner.calls()).toBe(2);
    for (const t of good) await cached.verify(t);
    await cached.verify(good[0]!);
    expect(inner.calls()).toBe(6);
  });
});
