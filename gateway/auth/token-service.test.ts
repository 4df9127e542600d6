import fc from 'fast-check';
import { SignJWT, base64url, generateKeyPair, importJWK, type JWK } from 'jose';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { randomKey } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { openStore } from '../store/store.js';
import { createAuthFixture } from './testing/auth-fixture.js';
import { createTokenService } from './token-service.js';

async function expectInvalid(p: Promise<unknown>, secret?: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WardClerkError);
  expect((err as WardClerkError).code).toBe('INVALID_TOKEN');
  expect((err as WardClerkError).status).toBe(401);
  if (secret) expect((err as WardClerkError).message).not.toContain(secret);
}

async function storedSigningKey(f: Awaited<ReturnType<typeof createAuthFixture>>) {
  const [rec] = await f.store.system.listSigningKeys();
  return { kid: rec!.kid, key: (await importJWK({ ...(rec!.private_jwk as JWK), alg: 'EdDSA' }, 'EdDSA')) as CryptoKey };
}

function forge(f: { config: { jwtIssuer: string; jwtAudience: string } }, claims: Record<string, unknown> = { role: 'operator' }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims).setIssuer(f.config.jwtIssuer).setAudience(f.config.jwtAudience).setSubject('op_1').setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 600);
}

describe('token service', () => {
  it('round-trips operator and client tokens into principals', async () => {
    await using f = await createAuthFixture();
    const op = await f.tokens.issueOperatorToken('op_1');
    expect(op.token_type).toBe('Bearer');
    expect(op.expires_in).toBe(f.config.tokenTtlSeconds);
    expect(await f.tokens.verify(op.access_token)).toEqual({ kind: 'operator', sub: 'op_1', scopes: ['admin'] });

    const cl = await f.tokens.issueClientToken({ client_id: 'cl_1', tenant_id: 'tn_1', scopes: ['jobs:read', 'prescriptions:read'] });
    expect(await f.tokens.verify(cl.access_token)).toEqual({ kind: 'client', sub: 'cl_1', tenantId: 'tn_1', scopes: ['jobs:read', 'prescriptions:read'] });

    const [h, p] = cl.access_token.split('.');
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(h!)));
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    expect(header).toMatchObject({ alg: 'EdDSA', kid: f.tokens.jwks().keys[0]!.kid });
    expect(payload).toMatchObject({ iss: 'wardclerk', aud: 'wardclerk-api', sub: 'cl_1', tenant: 'tn_1', scope: 'jobs:read prescriptions:read' });
    expect(payload.exp - payload.iat).toBe(f.config.tokenTtlSeconds);
    expect(typeof payload.jti).toBe('string');
    expect(payload.nbf).toBe(payload.iat);
  });

  it('reuses the stored key on a later start and serves public keys only', async () => {
    await using f = await createAuthFixture();
    const token = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const again = await createTokenService({ store: f.store, config: f.config });
    expect(again.jwks()).toEqual(f.tokens.jwks());
    expect((await again.verify(token)).sub).toBe('op_1');
    expect(await f.store.system.listSigningKeys()).toHaveLength(1);
    const [key] = again.jwks().keys;
    expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(key).not.toHaveProperty('d');
  });

  it('keeps the signing key across a restart of the real store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wc-keys-'));
    try {
      const masterKey = randomKey();
      const config = loadConfig({ WARDCLERK_DATA_DIR: dir });
      let token: string;
      let kid: string | undefined;
      let privateD: string;
      {
        await using store = await openStore({ dir: join(dir, 'store'), masterKey });
        const tokens = await createTokenService({ store, config });
        token = (await tokens.issueClientToken({ client_id: 'cl_1', tenant_id: 'tn_1', scopes: ['jobs:read'] })).access_token;
        kid = tokens.jwks().keys[0]?.kid;
        privateD = String((await store.system.listSigningKeys())[0]?.private_jwk.d);
      }
      // The private key is sealed at rest: its bytes appear in no file of the store.
      expect(privateD.length).toBeGreaterThan(40);
      for (const name of await readdir(join(dir, 'store'))) {
        expect((await readFile(join(dir, 'store', name))).includes(Buffer.from(privateD)), name).toBe(false);
      }
      await using store = await openStore({ dir: join(dir, 'store'), masterKey });
      const tokens = await createTokenService({ store, config });
      expect(tokens.jwks().keys.map((k) => k.kid)).toEqual([kid]);
      expect((await tokens.verify(token)).sub).toBe('cl_1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a tampered signature and a tampered payload', async () => {
    await using f = await createAuthFixture();
    const token = (await f.tokens.issueClientToken({ client_id: 'cl_1', tenant_id: 'tn_1', scopes: ['jobs:read'] })).access_token;
    const [h, p, s] = token.split('.') as [string, string, string];
    const sig = base64url.decode(s);
    sig[0] = sig[0]! ^ 1;
    await expectInvalid(f.tokens.verify(`${h}.${p}.${base64url.encode(sig)}`));
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p)));
    claims.tenant = 'tn_2';
    await expectInvalid(f.tokens.verify(`${h}.${base64url.encode(JSON.stringify(claims))}.${s}`), 'tn_2');
  });

  it('rejects an expired token, a not-yet-valid one, another audience and another issuer', async () => {
    await using f = await createAuthFixture();
    const { kid, key } = await storedSigningKey(f);
    const now = Math.floor(Date.now() / 1000);
    // Control: the same forging path with correct claims verifies, so each rejection below is due to its one change.
    expect((await f.tokens.verify(await forge(f).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key))).kind).toBe('operator');
    await expectInvalid(f.tokens.verify(await forge(f).setProtectedHeader({ alg: 'EdDSA', kid }).setIssuedAt(now - 7200).setExpirationTime(now - 3600).sign(key)));
    await expectInvalid(f.tokens.verify(await forge(f).setProtectedHeader({ alg: 'EdDSA', kid }).setNotBefore(now + 3600).sign(key)));
    await expectInvalid(f.tokens.verify(await forge(f).setProtectedHeader({ alg: 'EdDSA', kid }).setAudience('another-api').sign(key)));
    await expectInvalid(f.tokens.verify(await forge(f).setProtectedHeader({ alg: 'EdDSA', kid }).setIssuer('someone-else').sign(key)));
  });

  it('rejects alg none, an unknown kid, a foreign key under our kid, and HS256 keyed with our public key', async () => {
    await using f = await createAuthFixture();
    const { kid } = await storedSigningKey(f);
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: f.config.jwtIssuer, aud: f.config.jwtAudience, sub: 'op_1', role: 'operator', iat: now, nbf: now, exp: now + 600 };
    const enc = (o: unknown) => base64url.encode(JSON.stringify(o));
    await expectInvalid(f.tokens.verify(`${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`));
    await expectInvalid(f.tokens.verify(`${enc({ alg: 'none', kid })}.${enc(claims)}.`));

    const foreign = await generateKeyPair('EdDSA');
    await expectInvalid(f.tokens.verify(await forge(f).setProtectedHeader({ alg: 'EdDSA', kid: 'unknown-kid' }).sign(foreign.privateKey)));
    await expectInvalid(f.tokens.verify(await forge(f).setProtectedHeader({ alg: 'EdDSA', kid }).sign(foreign.privateKey)));

    const publicX = base64url.decode(f.tokens.jwks().keys[0]!.x!);
    await expectInvalid(f.tokens.verify(await forge(f).setProtectedHeader({ alg: 'HS256', kid }).sign(publicX)));
  });

  it('rejects a validly signed token whose claims are neither operator nor client', async () => {
    await using f = await createAuthFixture();
    const { kid, key } = await storedSigningKey(f);
    await expectInvalid(f.tokens.verify(await forge(f, { role: 'root' }).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key)));
    await expectInvalid(f.tokens.verify(await forge(f, { tenant: 'tn_1' }).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key)));
  });

  it('answers INVALID_TOKEN for any garbage string, never another error', async () => {
    await using f = await createAuthFixture();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.join('.'))),
        async (s) => expectInvalid(f.tokens.verify(s)),
      ),
      { numRuns: 300 },
    );
  });
});
