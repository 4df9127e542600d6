/**
 * `POST /api/v1/oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4). Accepts a
 * form or JSON body, client credentials in the body or HTTP Basic (§2.3.1), and answers in the
 * OAuth shapes rather than the envelope: `{access_token, token_type, expires_in}` or
 * `{error, error_description}` (§5.2). The body is parsed by hand so every failure has that shape.
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { remoteAddress } from '../http/client-address.js';
import type { AttemptLimiter } from './attempt-limiter.js';
import { clientIdLookupKey, normalizeIdentity } from './identity.js';
import type { CredentialChecker } from './credential-checker.js';
import type { AuthStore } from './store-port.js';
import type { TokenService } from './token-service.js';

export const TOKEN_PATH = '/api/v1/oauth/token';
const MAX_BODY_CHARS = 16 * 1024;
const MAX_ID_CHARS = 256;
const MAX_SECRET_CHARS = 1024;

type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable';

class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 429,
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

const TokenRequestSchema = z
  .object({
    grant_type: z.literal('client_credentials'),
    client_id: z.string().optional().openapi({ description: 'Or use HTTP Basic authentication' }),
    client_secret: z.string().optional(),
    scope: z.string().optional().openapi({ description: 'Space-separated subset of the client’s scopes' }),
  })
  .openapi('TokenRequest');

const OAuthErrorSchema = z
  .object({ error: z.enum(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope', 'temporarily_unavailable']), error_description: z.string() })
  .openapi('OAuthError');

/** Reads the body as flat string parameters; anything unreadable is invalid_request. */
async function readParams(c: Context<AppEnv>): Promise<Map<string, string>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = await c.req.text();
  if (text.length > MAX_BODY_CHARS) throw new OAuthError(400, 'invalid_request', 'The request body is too large');
  if (type === 'application/x-www-form-urlencoded') return new Map(new URLSearchParams(text));
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new OAuthError(400, 'invalid_request', 'The body is not valid JSON');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OAuthError(400, 'invalid_request', 'The body must be a JSON object');
    const out = new Map<string, string>();
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') throw new OAuthError(400, 'invalid_request', `Parameter ${k} must be a string`);
      out.set(k, v);
    }
    return out;
  }
  throw new OAuthError(400, 'invalid_request', 'Send application/x-www-form-urlencoded or application/json');
}

/** Decodes `Authorization: Basic` client credentials (each part form-urlencoded per §2.3.1). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic[ ]+([A-Za-z0-9+/=]+)[ ]*$/i.exec(header ?? '');
  if (!m) {
    if (header && /^Basic\b/i.test(header)) throw new OAuthError(401, 'invalid_client', 'Malformed Basic credentials', { 'WWW-Authenticate': 'Basic realm="wardclerk"' });
    return null;
  }
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError(401, 'invalid_client', 'Malformed Basic credentials', { 'WWW-Authenticate': 'Basic realm="wardclerk"' });
  try {
    const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError(401, 'invalid_client', 'Malformed Basic credentials', { 'WWW-Authenticate': 'Basic realm="wardclerk"' });
  }
}

export interface ClientCredentialsDeps {
  store: Pick<AuthStore, 'clients'>;
  tokens: Pick<TokenService, 'issueClientToken'>;
  limiter: AttemptLimiter;
  checker: CredentialChecker;
  /** Resolves once the limiter's saved state is loaded. */
  ready?: Promise<unknown>;
}

async function grant(c: Context<AppEnv>, deps: ClientCredentialsDeps) {
  const params = await readParams(c);
  const basic = basicCredentials(c.req.header('authorization'));
  const grantType = params.get('grant_type');
  if (!grantType) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') throw new OAuthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported');
  if (basic && (params.has('client_id') || params.has('client_secret'))) {
    throw new OAuthError(400, 'invalid_request', 'Send client credentials either in the body or with Basic authentication, not both');
  }
  const challenge: Record<string, string> = basic ? { 'WWW-Authenticate': 'Basic realm="wardclerk"' } : {};
  const id = basic?.id ?? params.get('client_id') ?? '';
  const secret = basic?.secret ?? params.get('client_secret') ?? '';
  if (!id || !secret || id.length > MAX_ID_CHARS || secret.length > MAX_SECRET_CHARS) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed', challenge);
  }
  // One normal form for the limiter and the lookup (ids are case-insensitive Crockford base32).
  const attempt = { kind: 'client' as const, identity: normalizeIdentity(id), ip: remoteAddress(c) ?? 'unknown' };
  await deps.ready;
  try {
    deps.limiter.check(attempt);
  } catch (e) {
    if (e instanceof WardClerkError && e.code === 'RATE_LIMITED') {
      throw new OAuthError(429, 'temporarily_unavailable', 'Too many failed attempts; retry later', { 'Retry-After': String(e.retryAfter ?? 60) });
    }
    throw e;
  }
  const client = await deps.store.clients.get(clientIdLookupKey(attempt.identity));
  if (!(await deps.checker.verify(client?.secret_hash ?? null, secret)) || !client) {
    deps.limiter.recordFailure(attempt);
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed', challenge);
  }
  deps.limiter.recordSuccess(attempt);
  let scopes = client.scopes;
  const requested = params.get('scope');
  if (requested !== undefined) {
    const wanted = [...new Set(requested.split(' ').filter(Boolean))];
    if (wanted.some((s) => !client.scopes.includes(s))) throw new OAuthError(400, 'invalid_scope', 'A requested scope is not granted to this client');
    scopes = wanted;
  }
  return deps.tokens.issueClientToken({ client_id: client.client_id, tenant_id: client.tenant_id, scopes });
}

/** Registers the token endpoint (handler plus its OpenAPI description). */
export function registerClientCredentialsRoute(app: OpenAPIHono<AppEnv>, deps: ClientCredentialsDeps): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: TOKEN_PATH,
    tags: ['auth'],
    summary: 'OAuth 2.0 client-credentials grant (RFC 6749 §4.4)',
    request: {
      body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: TokenRequestSchema }, 'application/json': { schema: TokenRequestSchema } } },
    },
    responses: {
      200: {
        description: 'An access token (RFC 6749 §5.1, not the envelope)',
        content: { 'application/json': { schema: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }) } },
      },
      400: { description: 'invalid_request, unsupported_grant_type or invalid_scope (§5.2)', content: { 'application/json': { schema: OAuthErrorSchema } } },
      401: { description: 'invalid_client (§5.2)', content: { 'application/json': { schema: OAuthErrorSchema } } },
      429: { description: 'Too many failed attempts; see Retry-After', content: { 'application/json': { schema: OAuthErrorSchema } } },
    },
  });

  app.post(TOKEN_PATH, async (c) => {
    // RFC 6749 §5.1/§5.2: token responses must not be cached.
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    try {
      return c.json(await grant(c, deps), 200);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
      return c.json({ error: e.error, error_description: e.description }, e.status);
    }
  });
}
