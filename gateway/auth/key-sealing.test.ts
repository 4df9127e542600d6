import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../../core/crypto.js';
import { newKeypair, openPrivateKey, sealPrivateKey } from './key-sealing.js';
import { MIN_KDF_COST } from './password-kdf.js';

// Argon2id at its minimum cost: these properties are about the sealing, not the work factor.
const password = fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' });

describe('password-sealed private keys', () => {
  it('opens with the password it was sealed with, and never with another password or for another user', () => {
    fc.assert(
      fc.property(password, password, (right, wrong) => {
        fc.pre(right !== wrong);
        const userId = newId('usr');
        const { privateKey } = newKeypair();
        const sealed = sealPrivateKey(privateKey, right, userId, MIN_KDF_COST);
        expect(openPrivateKey(sealed, right, userId)).toEqual(privateKey);
        expect(openPrivateKey(sealed, wrong, userId)).toBeNull();
        expect(openPrivateKey(sealed, right, newId('usr'))).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  it('uses a fresh salt and nonce each time and records the cost it was sealed with', () => {
    const { privateKey } = newKeypair();
    const a = sealPrivateKey(privateKey, 'same password here', 'usr_X', MIN_KDF_COST);
    const b = sealPrivateKey(privateKey, 'same password here', 'usr_X', MIN_KDF_COST);
    expect(a.salt).not.toBe(b.salt);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a).toMatchObject({ alg: 'argon2id+xchacha20poly1305', opslimit: MIN_KDF_COST.opslimit, memlimit: MIN_KDF_COST.memlimit });
    expect(JSON.stringify(a)).not.toContain(Buffer.from(privateKey).toString('base64'));
  });

  it('opens nothing from a tampered field, and refuses absurd stored costs without running them', () => {
    const { privateKey } = newKeypair();
    const sealed = sealPrivateKey(privateKey, 'correct horse battery', 'usr_X', MIN_KDF_COST);
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0]! ^= 1;
      return bytes.toString('base64');
    };
    for (const field of ['salt', 'nonce', 'ciphertext'] as const) {
      expect(openPrivateKey({ ...sealed, [field]: flip(sealed[field]) }, 'correct horse battery', 'usr_X')).toBeNull();
    }
    expect(openPrivateKey({ ...sealed, opslimit: sealed.opslimit + 1 }, 'correct horse battery', 'usr_X')).toBeNull();
    expect(openPrivateKey({ ...sealed, memlimit: 2 ** 40 }, 'correct horse battery', 'usr_X')).toBeNull();
    expect(openPrivateKey({ ...sealed, salt: 'c2hvcnQ=' }, 'correct horse battery', 'usr_X')).toBeNull();
  });
});
