/**
 * JWT signing keys. The first start generates an Ed25519 pair and stores it (the store seals every
 * value); later starts reuse the stored keys. The newest key signs; every stored key verifies, so a
 * future rotation only has to add a key.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { AuthStore, SigningKeyRecord } from './store-port.js';

/** A loaded key set: the key that signs now plus the public keys that verify. */
export interface SigningKeys {
  /** kid of the signing key (goes into every token header). */
  kid: string;
  /** Private key used by SignJWT. */
  privateKey: CryptoKey;
  /** Public JWKs of every stored key, with kid, alg and use set. */
  publicJwks: JWK[];
}

/** Public keys only, in the JWKS document shape served at /.well-known/jwks.json. */
export interface Jwks {
  keys: JWK[];
}

function publicOnly(rec: SigningKeyRecord): JWK {
  // Rebuild from the fields a public OKP key has, so a private `d` can never leak through.
  const { kty, crv, x } = rec.public_jwk as JWK;
  return { kty, crv, x, kid: rec.kid, alg: 'EdDSA', use: 'sig' } as JWK;
}

async function generate(): Promise<SigningKeyRecord> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const kid = randomBytes(16).toString('base64url');
  return {
    kid,
    alg: 'EdDSA',
    private_jwk: { ...(await exportJWK(privateKey)) },
    public_jwk: { ...(await exportJWK(publicKey)) },
    created_at: new Date().toISOString(),
  };
}

/**
 * Loads the stored signing keys, creating and storing one when there is none. Resolves to the
 * newest key for signing and all public keys for verification.
 */
export async function loadOrCreateSigningKeys(store: Pick<AuthStore, 'system'>): Promise<SigningKeys> {
  let records = await store.system.listSigningKeys();
  if (records.length === 0) {
    const rec = await generate();
    await store.system.putSigningKey(rec);
    records = [rec];
  }
  const newest = [...records].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))[0]!;
  const privateKey = (await importJWK({ ...(newest.private_jwk as JWK), alg: 'EdDSA' }, 'EdDSA')) as CryptoKey;
  return { kid: newest.kid, privateKey, publicJwks: records.map(publicOnly) };
}
