/**
 * End-to-end sealing of secure messages: libsodium sealed boxes (crypto_box_seal: X25519 +
 * XSalsa20-Poly1305 with an ephemeral sender key) to a user's public key. Only the holder of the
 * matching private key opens one, which lives unsealed only in a live session's memory; the store
 * and the master key never see it, so a copy of the data dir plus the master key reads nothing.
 */
import sodium from 'libsodium-wrappers-sumo';
import '../../core/crypto.js';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/** Bytes a sealed box adds to its plaintext (ephemeral public key + MAC). */
export const SEAL_OVERHEAD = sodium.crypto_box_SEALBYTES;

/** A user's public key (base64, from their user record) as bytes; null when it is not a 32-byte key. */
export function publicKeyBytes(publicKey: string): Uint8Array | null {
  const bytes = new Uint8Array(Buffer.from(publicKey, 'base64'));
  return bytes.length === sodium.crypto_box_PUBLICKEYBYTES ? bytes : null;
}

/** Seals `text` to `publicKey` (32 bytes); base64 of the sealed box. */
export function sealToUser(text: string, publicKey: Uint8Array): string {
  return Buffer.from(sodium.crypto_box_seal(enc.encode(text), publicKey)).toString('base64');
}

/**
 * Opens a sealed box with the recipient's keypair; null when it was sealed to another key (or was
 * altered), never an exception: a key reset is an expected state, not an error.
 */
export function openAsUser(sealedBox: string, publicKey: Uint8Array, privateKey: Uint8Array): string | null {
  try {
    return dec.decode(sodium.crypto_box_seal_open(new Uint8Array(Buffer.from(sealedBox, 'base64')), publicKey, privateKey));
  } catch {
    return null;
  }
}
