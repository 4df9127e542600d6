/** Sealed boxes for secure messages: round trip for any text, and nobody else opens one (property tests). */
import fc from 'fast-check';
import sodium from 'libsodium-wrappers-sumo';
import { describe, expect, it } from 'vitest';
import '../../core/crypto.js';
import { openAsUser, publicKeyBytes, SEAL_OVERHEAD, sealToUser } from './messages-crypto.js';

const keypair = () => sodium.crypto_box_keypair();

describe('message sealing', () => {
  it('opens with the recipient key, and only with it; any alteration opens nothing', () => {
    const alice = keypair();
    const mallory = keypair();
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.nat(), (text, flip) => {
      const box = sealToUser(text, alice.publicKey);
      const raw = Buffer.from(box, 'base64');
      expect(raw.length).toBe(Buffer.byteLength(text) + SEAL_OVERHEAD);
      expect(openAsUser(box, alice.publicKey, alice.privateKey)).toBe(text);
      expect(openAsUser(box, mallory.publicKey, mallory.privateKey)).toBeNull();
      expect(openAsUser(box, alice.publicKey, mallory.privateKey)).toBeNull();
      raw[flip % raw.length]! ^= 1;
      expect(openAsUser(raw.toString('base64'), alice.publicKey, alice.privateKey)).toBeNull();
    }), { numRuns: 100 });
  });

  it('seals the same text differently each time (fresh ephemeral key) and never contains it', () => {
    const bob = keypair();
    const text = 'Please take the 8 pm dose with food';
    const a = sealToUser(text, bob.publicKey);
    expect(sealToUser(text, bob.publicKey)).not.toBe(a);
    expect(Buffer.from(a, 'base64').includes(Buffer.from('dose'))).toBe(false);
  });

  it('accepts only 32-byte public keys', () => {
    expect(publicKeyBytes(Buffer.from(keypair().publicKey).toString('base64'))).toHaveLength(32);
    expect(publicKeyBytes('')).toBeNull();
    expect(publicKeyBytes(Buffer.alloc(31).toString('base64'))).toBeNull();
    fc.assert(fc.property(fc.string(), (s) => {
      const k = publicKeyBytes(s);
      expect(k === null || k.length === 32).toBe(true);
    }));
  });
});
