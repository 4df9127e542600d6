/**
 * Argon2id for people's passwords, with the cost as a parameter: production uses libsodium's
 * INTERACTIVE limits (64 MiB, 2 passes; every sign-in runs it twice, once to verify the hash and
 * once to derive the key that opens the user's private key). Tests that are not about the cost
 * pass {@link MIN_KDF_COST}; nothing in the gateway's wiring ever does.
 */
import sodium from 'libsodium-wrappers-sumo';
import '../../core/crypto.js'; // awaits sodium.ready (top-level await) before anything here runs

/** Argon2id work factors (libsodium `opslimit`/`memlimit`, bytes). */
export interface KdfCost {
  opslimit: number;
  memlimit: number;
}

/** What production uses: libsodium's INTERACTIVE limits (the same as core/crypto.ts hashPassword). */
export const PRODUCTION_KDF_COST: KdfCost = {
  opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
  memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
};

/** The smallest costs libsodium accepts: for tests only (fast, and worthless against a guesser). */
export const MIN_KDF_COST: KdfCost = {
  opslimit: sodium.crypto_pwhash_OPSLIMIT_MIN,
  memlimit: sodium.crypto_pwhash_MEMLIMIT_MIN,
};

/** Most memory a stored sealed key may ask the KDF for (a bound against a damaged record). */
export const MAX_KDF_MEMLIMIT = 1024 * 1024 * 1024;

export const SALT_BYTES: number = sodium.crypto_pwhash_SALTBYTES;

/** Argon2id `$argon2id$…` string (verify it with core/crypto.ts verifyPassword). */
export async function hashUserPassword(password: string, cost: KdfCost = PRODUCTION_KDF_COST): Promise<string> {
  return sodium.crypto_pwhash_str(password, cost.opslimit, cost.memlimit);
}

/** A 32-byte key from the password and salt (Argon2id 1.3). */
export function passwordKey(password: string, salt: Uint8Array, cost: KdfCost): Uint8Array {
  return sodium.crypto_pwhash(32, password, salt, cost.opslimit, cost.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}
