/**
 * WardClerk's cryptographic primitives, all from libsodium (`libsodium-wrappers-sumo`):
 * XChaCha20-Poly1305 IETF with associated data for values at rest, Argon2id for passwords and
 * client secrets, keyed BLAKE2b for blind indexes, crypto_kdf for subkeys, and random ids.
 * Nothing here logs or puts key material or plaintext into error messages.
 */
import { randomFillSync } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import { WardClerkError } from './errors.js';

// Top-level await: importing this module is enough to make every sync function usable.
// initCrypto() stays as the documented contract (and is a cheap no-op after the first call).
await sodium.ready;

/** Resolves once libsodium is initialised. Safe to call any number of times. */
export async function initCrypto(): Promise<void> {
  await sodium.ready;
}

/** Size of every symmetric key (DEK, KEK, blind-index key, master key). */
export const KEY_BYTES = 32;

const NONCE_BYTES = 24; // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
const TAG_BYTES = 16; // crypto_aead_xchacha20poly1305_ietf_ABYTES

/**
 * Random bytes from the OS CSPRNG. Node's randomFillSync rather than sodium.randombytes_buf:
 * same source (getrandom), but the wasm bridge costs ~60 µs a call, which dominated sealing.
 */
function randomBytes(n: number): Uint8Array {
  return randomFillSync(new Uint8Array(n));
}

/** 32 bytes from the OS CSPRNG. */
export function randomKey(): Uint8Array {
  return randomBytes(KEY_BYTES);
}

function assertKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new WardClerkError('INTERNAL', `${what} must be ${KEY_BYTES} bytes`, { details: { reason: 'bad_key' } });
  }
}

/**
 * Encrypts `plaintext` with XChaCha20-Poly1305 (IETF) under `key`, authenticating `ad` too.
 * Returns `nonce (24 bytes) || ciphertext+tag`. The nonce is random: safe for any number of
 * messages per key.
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  assertKey(key, 'seal key');
  const nonce = randomBytes(NONCE_BYTES);
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
  const out = new Uint8Array(NONCE_BYTES + ct.length);
  out.set(nonce, 0);
  out.set(ct, NONCE_BYTES);
  return out;
}

/**
 * Decrypts a value produced by {@link seal}. A tampered ciphertext, a wrong key or different
 * associated data throws `WardClerkError('INTERNAL')` with `details.reason = 'decrypt_failed'`;
 * the message never contains any plaintext.
 */
export function open(key: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  assertKey(key, 'open key');
  if (sealed.length < NONCE_BYTES + TAG_BYTES) {
    throw decryptFailed();
  }
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null, sealed.subarray(NONCE_BYTES), ad, sealed.subarray(0, NONCE_BYTES), key,
    );
  } catch {
    // libsodium's own error says only "ciphertext cannot be decrypted using that key"; we
    // replace it with a coded one and drop the cause so nothing else can ride along.
    throw decryptFailed();
  }
}

function decryptFailed(): WardClerkError {
  return new WardClerkError('INTERNAL', 'a stored value failed authentication (tampered, moved or wrong key)', {
    details: { reason: 'decrypt_failed' },
  });
}

/**
 * Argon2id hash (libsodium `crypto_pwhash_str`, INTERACTIVE limits: ~64 MiB, 2 passes) as the
 * self-describing `$argon2id$…` string. Interactive limits because it runs on every login and
 * token request.
 */
export async function hashPassword(password: string): Promise<string> {
  return sodium.crypto_pwhash_str(
    password, sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
  );
}

/** True when `password` matches an encoded hash from {@link hashPassword}; false for a malformed hash. */
export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  if (typeof encoded !== 'string' || !encoded.startsWith('$argon2')) return false;
  try {
    return sodium.crypto_pwhash_str_verify(encoded, password);
  } catch {
    // A stored hash we cannot parse is a failed verification, not a crash of the login route.
    return false;
  }
}

/** The normal form blind indexes are computed over: trimmed, Unicode NFC, lower-case. */
export function normaliseForIndex(value: string): string {
  return value.trim().normalize('NFC').toLowerCase();
}

/**
 * Keyed BLAKE2b-256 of the normalised value (see {@link normaliseForIndex}), as 64 hex chars.
 * Deterministic for a key, unlinkable across keys: lookups by email, MRN or external id without
 * putting the value in a LevelDB key.
 */
export function blindIndex(key: Uint8Array, value: string): string {
  assertKey(key, 'blind index key');
  return sodium.crypto_generichash(32, sodium.from_string(normaliseForIndex(value)), key, 'hex');
}

/**
 * A 32-byte subkey of `master` (libsodium crypto_kdf / BLAKE2b). `context` must be exactly 8
 * characters; the same (master, id, context) always yields the same subkey.
 */
export function deriveKey(master: Uint8Array, subkeyId: number, context: string): Uint8Array {
  assertKey(master, 'master key');
  if (context.length !== 8 || !/^[\x20-\x7e]{8}$/.test(context)) {
    throw new WardClerkError('INTERNAL', 'deriveKey context must be 8 printable ASCII characters', {
      details: { reason: 'bad_kdf_context' },
    });
  }
  if (!Number.isSafeInteger(subkeyId) || subkeyId < 0) {
    throw new WardClerkError('INTERNAL', 'deriveKey subkey id must be a non-negative integer', {
      details: { reason: 'bad_kdf_subkey' },
    });
  }
  return sodium.crypto_kdf_derive_from_key(KEY_BYTES, subkeyId, context, master);
}

// ---- Time-sortable ids -------------------------------------------------------------------------
// ULID layout: 48-bit ms timestamp (10 Crockford base32 chars) + 80 random bits (16 chars).
// Lexicographic order = creation order; within one millisecond the random part is incremented
// (monotonic), so ids from one process sort exactly in the order they were made.

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RAND_CHARS = 16;
let lastMs = -1;
let lastRand: number[] = []; // 16 base32 digits

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = B32[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function freshRandom(): number[] {
  const bytes = randomBytes(RAND_CHARS);
  return Array.from(bytes, (b) => b % 32);
}

/**
 * A random, url-safe id that sorts by creation time: `[prefix_]` + 26 Crockford base32 chars
 * (48-bit ms time + 80 random bits, monotonic within a millisecond). Holds no data.
 */
export function newId(prefix?: string): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    let i = RAND_CHARS - 1;
    while (i >= 0 && lastRand[i] === 31) {
      lastRand[i] = 0;
      i--;
    }
    // 2^80 ids in one millisecond cannot happen; wrapping would only cost ordering, not uniqueness.
    if (i >= 0) lastRand[i] = (lastRand[i] ?? 0) + 1;
  } else {
    lastMs = ms;
    lastRand = freshRandom();
  }
  const id = encodeTime(ms) + lastRand.map((d) => B32[d]).join('');
  return prefix ? `${prefix}_${id}` : id;
}

/**
 * The smallest id {@link newId} could produce at `ms` (for range scans such as "created since").
 * Every id made at or after `ms` with the same prefix sorts >= this string.
 */
export function idFloorForTime(ms: number, prefix?: string): string {
  const id = encodeTime(Math.max(0, Math.floor(ms))) + '0'.repeat(RAND_CHARS);
  return prefix ? `${prefix}_${id}` : id;
}

/** The creation time (ms since epoch) encoded in an id from {@link newId}, or null if malformed. */
export function idTime(id: string): number | null {
  const m = /(?:^|_)([0-9A-HJKMNP-TV-Z]{26})$/.exec(id);
  if (!m?.[1]) return null;
  let ms = 0;
  for (const c of m[1].slice(0, TIME_CHARS)) ms = ms * 32 + B32.indexOf(c);
  return ms;
}
