/**
 * Issues and verifies the appliance's access tokens: EdDSA-signed JWTs with kid, issuer, audience,
 * iat/nbf/exp and jti. Operator tokens carry `role: "operator"`; client tokens carry `tenant` and a
 * space-separated `scope`. Every verification failure is INVALID_TOKEN with a fixed message: the
 * token's contents never reach an error or a log line.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from '@hono/zod-openapi';
import type { Config } from '../../core/config.js';
import { WardClerkError } from '../../core/errors.js';
import { USER_ROLES, type Principal, type UserRole } from '../http/app-env.js';
import { loadOrCreateSigningKeys, type Jwks } from './signing-keys.js';
import type { AuthStore, ClientRecord } from './store-port.js';

/** RFC 6749 §5.1 access token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface TokenService {
  issueOperatorToken(operatorId: string): Promise<TokenResponse>;
  issueClientToken(client: Pick<ClientRecord, 'client_id' | 'tenant_id' | 'scopes'>): Promise<TokenResponse>;
  /**
   * A person's short-lived access token: `sub` user id, `tenant`, `role`, `sid` (the session whose
   * refresh-token family and unsealed keys live server-side). `ttlSeconds` defaults to the
   * configured token lifetime.
   */
  issueUserToken(user: { user_id: string; tenant_id: string; role: UserRole; sid: string }, ttlSeconds?: number): Promise<TokenResponse>;
  /** Resolves to the caller's principal; rejects with WardClerkError INVALID_TOKEN (401). */
  verify(token: string): Promise<Principal>;
  /** Public keys only. */
  jwks(): Jwks;
}

export type TokenConfig = Pick<Config, 'jwtIssuer' | 'jwtAudience' | 'tokenTtlSeconds'>;

/** Scopes an operator principal carries (the operator is not scope-limited; this is informational). */
export const OPERATOR_SCOPES = ['admin'];

const CLOCK_TOLERANCE_S = 30;

const OperatorClaims = z.object({ sub: z.string().min(1), role: z.literal('operator') });
const ClientClaims = z.object({ sub: z.string().min(1), tenant: z.string().min(1), scope: z.string() });
const UserClaims = z.object({ sub: z.string().min(1), tenant: z.string().min(1), role: z.enum(USER_ROLES), sid: z.string().min(1) });

function invalid(cause?: unknown): WardClerkError {
  return new WardClerkError('INVALID_TOKEN', 'The access token is missing, expired or invalid', cause === undefined ? {} : { cause });
}

/**
 * Builds the token service, loading (or creating on first start) the signing keys from the store.
 */
export async function createTokenService(deps: { store: Pick<AuthStore, 'system'>; config: TokenConfig }): Promise<TokenService> {
  const { config } = deps;
  const keys = await loadOrCreateSigningKeys(deps.store);
  const jwks: Jwks = { keys: keys.publicJwks };
  const keySet = createLocalJWKSet(jwks);

  async function sign(sub: string, claims: Record<string, unknown>, ttlSeconds = config.tokenTtlSeconds): Promise<TokenResponse> {
    const now = Math.floor(Date.now() / 1000);
    const access_token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.kid, typ: 'JWT' })
      .setIssuer(config.jwtIssuer)
      .setAudience(config.jwtAudience)
      .setSubject(sub)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(keys.privateKey);
    return { access_token, token_type: 'Bearer', expires_in: ttlSeconds };
  }

  return {
    issueOperatorToken: (operatorId) => sign(operatorId, { role: 'operator' }),
    issueClientToken: (client) => sign(client.client_id, { tenant: client.tenant_id, scope: client.scopes.join(' ') }),
    issueUserToken: (user, ttlSeconds) => sign(user.user_id, { tenant: user.tenant_id, role: user.role, sid: user.sid }, ttlSeconds),
    async verify(token) {
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, keySet, {
          algorithms: ['EdDSA'],
          issuer: config.jwtIssuer,
          audience: config.jwtAudience,
          clockTolerance: CLOCK_TOLERANCE_S,
          requiredClaims: ['exp', 'iat', 'sub'],
        }));
      } catch (e) {
        // Only jose's own verdicts mean "bad token"; anything else is a bug and propagates.
        if (e instanceof joseErrors.JOSEError) throw invalid(e);
        throw e;
      }
      const op = OperatorClaims.safeParse(payload);
      if (op.success) return { kind: 'operator', sub: op.data.sub, scopes: [...OPERATOR_SCOPES] };
      // A user token is checked before a client one: both carry `tenant`, only users carry `role`.
      const us = UserClaims.safeParse(payload);
      if (us.success) {
        return { kind: 'user', sub: us.data.sub, tenantId: us.data.tenant, role: us.data.role, sid: us.data.sid, scopes: [] };
      }
      const cl = ClientClaims.safeParse(payload);
      if (cl.success) {
        return { kind: 'client', sub: cl.data.sub, tenantId: cl.data.tenant, scopes: cl.data.scope.split(' ').filter(Boolean) };
      }
      throw invalid();
    },
    jwks: () => jwks,
  };
}
