/**
 * Per-user X25519 keypairs (libsodium crypto_box) and the sealing of the private key under a key
 * derived from the user's password: Argon2id → XChaCha20-Poly1305 with the user id as associated
 * data. Only someone who knows the password opens it: not the holder of the master key, not a copy
 * of the data dir. A wrong password, another user's record or a tampered field opens nothing.
 */
import { randomFillSync } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import '../../core/crypto.js';
import type { SealedPrivateKey } from '../store/user-records.js';
import { MAX_KDF_MEMLIMIT, passwordKey, PRODUCTION_KDF_COST, SALT_BYTES, type KdfCost } from './password-kdf.js';

const NONCE_BYTES = 24;
const enc = new TextEncoder();
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Binds a sealed key to its owner: moving it to another user's record fails authentication. */
const associatedData = (userId: string) => enc.encode(`wardclerk:user-private-key:v1:${userId}`);

/** A fresh X25519 keypair (crypto_box_keypair); the public key as base64 for the user record. */
export function newKeypair(): { publicKey: string; privateKey: Uint8Array } {
  const kp = sodium.crypto_box_keypair();
  return { publicKey: b64(kp.publicKey), privateKey: kp.privateKey };
}

/** Seals `privateKey` for `userId` under `password` (fresh salt and nonce each time). */
export function sealPrivateKey(privateKey: Uint8Array, password: string, userId: string, cost: KdfCost = PRODUCTION_KDF_COST): SealedPrivateKey {
  const salt = randomFillSync(new Uint8Array(SALT_BYTES));
  const nonce = randomFillSync(new Uint8Array(NONCE_BYTES));
  const key = passwordKey(password, salt, cost);
  try {
    const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(privateKey, associatedData(userId), null, nonce, key);
    return { alg: 'argon2id+xchacha20poly1305', salt: b64(salt), nonce: b64(nonce), ciphertext: b64(ciphertext), opslimit: cost.opslimit, memlimit: cost.memlimit };
  } finally {
    sodium.memzero(key);
  }
}

/** The private key, or null when the password (or the owner, or any field) is wrong. */
export function openPrivateKey(sealed: SealedPrivateKey, password: string, userId: string): Uint8Array | null {
  const salt = unb64(sealed.salt);
  const nonce = unb64(sealed.nonce);
  if (salt.length !== SALT_BYTES || nonce.length !== NONCE_BYTES || sealed.memlimit > MAX_KDF_MEMLIMIT || sealed.opslimit > 20) return null;
  if (sealed.opslimit < sodium.crypto_pwhash_OPSLIMIT_MIN || sealed.memlimit < sodium.crypto_pwhash_MEMLIMIT_MIN) return null;
  const key = passwordKey(password, salt, { opslimit: sealed.opslimit, memlimit: sealed.memlimit });
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, unb64(sealed.ciphertext), associatedData(userId), nonce, key);
  } catch {
    return null;
  } finally {
    sodium.memzero(key);
  }
}
