import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  blindIndex, deriveKey, hashPassword, idFloorForTime, idTime, initCrypto, KEY_BYTES, newId, open,
  randomKey, seal, verifyPassword,
} from './crypto.js';
import { WardClerkError } from './errors.js';

await initCrypto();

const bytes = fc.uint8Array({ maxLength: 512 });
const key = fc.uint8Array({ minLength: KEY_BYTES, maxLength: KEY_BYTES });

function expectDecryptFailed(fn: () => unknown, plaintext?: Uint8Array): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(WardClerkError);
  const err = caught as WardClerkError;
  expect(err.code).toBe('INTERNAL');
  expect(err.details.reason).toBe('decrypt_failed');
  if (plaintext && plaintext.length >= 4) {
    expect(err.message).not.toContain(Buffer.from(plaintext).toString('utf8'));
  }
}

describe('seal/open', () => {
  it('round-trips any bytes with any associated data', () => {
    fc.assert(fc.property(key, bytes, bytes, (k, pt, ad) => {
      const sealed = seal(k, pt, ad);
      expect(sealed.length).toBe(24 + pt.length + 16);
      expect(Buffer.from(open(k, sealed, ad))).toEqual(Buffer.from(pt));
    }));
  });

  it('rejects any single-bit flip anywhere in the sealed value', () => {
    fc.assert(fc.property(key, bytes, bytes, fc.nat(), fc.integer({ min: 0, max: 7 }), (k, pt, ad, pos, bit) => {
      const sealed = seal(k, pt, ad);
      const i = pos % sealed.length;
      sealed[i] = (sealed[i] ?? 0) ^ (1 << bit);
      expectDecryptFailed(() => open(k, sealed, ad), pt);
    }));
  });

  it('rejects different associated data', () => {
    fc.assert(fc.property(key, bytes, bytes, bytes, (k, pt, ad, ad2) => {
      fc.pre(Buffer.compare(Buffer.from(ad), Buffer.from(ad2)) !== 0);
      expectDecryptFailed(() => open(k, seal(k, pt, ad), ad2), pt);
    }));
  });

  it('rejects a wrong key and truncated input', () => {
    const pt = new TextEncoder().encode('secret note text for the wrong-key test');
    const ad = new TextEncoder().encode('!t!!x!!rx!rx_1');
    const sealed = seal(randomKey(), pt, ad);
    expectDecryptFailed(() => open(randomKey(), sealed, ad), pt);
    expectDecryptFailed(() => open(randomKey(), sealed.subarray(0, 30), ad));
  });

  it('refuses keys of the wrong size', () => {
    expect(() => seal(new Uint8Array(16), new Uint8Array(1), new Uint8Array(0))).toThrow(WardClerkError);
  });
});

describe('blindIndex', () => {
  it('is deterministic, normalises (trim, case, NFC) and depends on the key', () => {
    fc.assert(fc.property(key, key, fc.string({ minLength: 1 }), (k1, k2, v) => {
      fc.pre(Buffer.compare(Buffer.from(k1), Buffer.from(k2)) !== 0);
      const a = blindIndex(k1, v);
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(blindIndex(k1, v)).toBe(a);
      expect(blindIndex(k1, `  ${v.toUpperCase()}  `)).toBe(blindIndex(k1, v.toUpperCase()));
      expect(blindIndex(k2, v)).not.toBe(a);
    }));
    const k = randomKey();
    expect(blindIndex(k, ' MRN-001 ')).toBe(blindIndex(k, 'mrn-001'));
    expect(blindIndex(k, 'Jose\u0301')).toBe(blindIndex(k, 'jos\u00e9'));
    expect(blindIndex(k, 'mrn-001')).not.toBe(blindIndex(k, 'mrn-002'));
  });
});

describe('deriveKey', () => {
  it('is deterministic per (id, context) and distinct otherwise', () => {
    const m = randomKey();
    const a = deriveKey(m, 1, 'natsjs__');
    expect(a.length).toBe(KEY_BYTES);
    expect(Buffer.from(deriveKey(m, 1, 'natsjs__'))).toEqual(Buffer.from(a));
    expect(Buffer.from(deriveKey(m, 2, 'natsjs__'))).not.toEqual(Buffer.from(a));
    expect(Buffer.from(deriveKey(m, 1, 'other___'))).not.toEqual(Buffer.from(a));
    expect(Buffer.from(deriveKey(randomKey(), 1, 'natsjs__'))).not.toEqual(Buffer.from(a));
    expect(() => deriveKey(m, 1, 'short')).toThrow(WardClerkError);
  });
});

describe('passwords', () => {
  it('hashes with Argon2id and verifies', async () => {
    const h = await hashPassword('correct horse');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'correct horse')).toBe(true);
    expect(await verifyPassword(h, 'correct horsf')).toBe(false);
    expect(await verifyPassword('not a hash', 'correct horse')).toBe(false);
    expect(await verifyPassword('$argon2id$garbage', 'correct horse')).toBe(false);
  });
});

describe('newId', () => {
  it('is url-safe, unique and sorts in creation order', () => {
    const ids = Array.from({ length: 5000 }, () => newId('rx'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^rx_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
  });

  it('encodes its creation time; the floor for a time sorts before ids made at that time', () => {
    const before = Date.now();
    const id = newId('job');
    const t = idTime(id);
    expect(t).not.toBeNull();
    expect(t!).toBeGreaterThanOrEqual(before);
    expect(idFloorForTime(before, 'job') <= id).toBe(true);
    expect(idFloorForTime(t! + 1, 'job') > id).toBe(true);
    expect(idTime('nope')).toBeNull();
  });
});
