/**
 * The operator's admin routes: tenants and their API clients. Operator tokens only. A client's
 * secret is returned once, at creation, and stored only as an Argon2id hash; listings never carry
 * secrets or hashes.
 */
import { randomBytes } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { hashPassword } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { normalizeOrigin } from '../http/cors.js';
import { errorResponses, metadata, successEnvelope } from '../http/envelope.js';
import { requireAuth, requireOperator } from '../auth/middleware.js';
import type { AuthStore, ClientRecord, TenantRecord } from '../auth/store-port.js';
import type { TokenService } from '../auth/token-service.js';
import { SCOPES } from './scopes.js';

export { SCOPES, type Scope } from './scopes.js';

export interface AdminRouteDeps {
  store: Pick<AuthStore, 'tenants' | 'clients'>;
  tokens: Pick<TokenService, 'verify'>;
}

/** Bytes of randomness in a client secret (base64url-encoded on the wire). */
export const CLIENT_SECRET_BYTES = 32;

const Tenant = z
  .object({
    id: z.string(),
    name: z.string(),
    created_at: z.string(),
    cors_origins: z.array(z.string()).openapi({ description: 'Browser origins allowed to call the API with this tenant’s tokens (CORS)' }),
  })
  .openapi('Tenant');

/** Most browser origins one tenant may list. */
export const MAX_CORS_ORIGINS = 32;

const OriginList = z
  .array(z.string().max(300))
  .max(MAX_CORS_ORIGINS)
  .superRefine((list, ctx) => {
    list.forEach((o, i) => {
      if (normalizeOrigin(o) === null) ctx.addIssue({ code: 'custom', path: [i], message: 'Expected an origin: http(s)://host[:port], no path' });
    });
  })
  .openapi({ example: ['https://ward-app.hospital.example'] });
const Client = z
  .object({ client_id: z.string(), tenant_id: z.string(), name: z.string(), scopes: z.array(z.enum(SCOPES)), created_at: z.string() })
  .openapi('Client');
const CreatedClient = z
  .object({
    client_id: z.string(),
    client_secret: z.string().openapi({ description: 'Shown once; store it now' }),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    tenant_id: z.string(),
    created_at: z.string(),
  })
  .openapi('CreatedClient');

const TenantParams = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' } }) });
const security = [{ bearerAuth: [] }];
const authErrors = errorResponses(401, 403);

const createTenantRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/tenants',
  tags: ['admin'],
  summary: 'Create a tenant',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(200) }) } } } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: successEnvelope(Tenant) } } }, ...errorResponses(400), ...authErrors },
});

const updateTenantRoute = createRoute({
  method: 'patch',
  path: '/api/v1/admin/tenants/{id}',
  tags: ['admin'],
  summary: "Change a tenant's name or its allowed browser origins (CORS)",
  security,
  request: {
    params: TenantParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ name: z.string().trim().min(1).max(200).optional(), cors_origins: OriginList.optional() })
            .refine((b) => b.name !== undefined || b.cors_origins !== undefined, { message: 'Give name or cors_origins' }),
        },
      },
    },
  },
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: successEnvelope(Tenant) } } },
    ...errorResponses(400, 404),
    ...authErrors,
  },
});

const listTenantsRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/tenants',
  tags: ['admin'],
  summary: 'List tenants',
  security,
  responses: { 200: { description: 'Tenants', content: { 'application/json': { schema: successEnvelope(z.object({ items: z.array(Tenant) })) } } }, ...authErrors },
});

const createClientRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/tenants/{id}/clients',
  tags: ['admin'],
  summary: 'Create an API client for a tenant (the secret is shown once)',
  security,
  request: {
    params: TenantParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            name: z.string().trim().min(1).max(200),
            scopes: z.array(z.enum(SCOPES)).min(1).optional().openapi({ description: 'Defaults to every scope' }),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: successEnvelope(CreatedClient) } } },
    ...errorResponses(400, 404),
    ...authErrors,
  },
});

const listClientsRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/tenants/{id}/clients',
  tags: ['admin'],
  summary: "List a tenant's API clients (no secrets)",
  security,
  request: { params: TenantParams },
  responses: {
    200: { description: 'Clients', content: { 'application/json': { schema: successEnvelope(z.object({ items: z.array(Client) })) } } },
    ...errorResponses(404),
    ...authErrors,
  },
});

const tenantView = (t: TenantRecord) => ({ id: t.id, name: t.name, created_at: t.created_at, cors_origins: t.cors_origins ?? [] });
// Picks fields explicitly so secret_hash (or anything the store adds later) never leaves.
const clientView = (r: ClientRecord) => ({
  client_id: r.client_id,
  tenant_id: r.tenant_id,
  name: r.name,
  scopes: r.scopes.filter((s): s is (typeof SCOPES)[number] => (SCOPES as readonly string[]).includes(s)),
  created_at: r.created_at,
});

/** Registers the operator-only tenant and client routes under /api/v1/admin. */
export function registerAdminRoutes(app: OpenAPIHono<AppEnv>, deps: AdminRouteDeps): void {
  const { store } = deps;
  // Operator-only: the tenant and client routes. Other /admin routes (assignments, invitations) are a tenant admin's.
  app.use('/api/v1/admin/tenants/*', requireAuth(deps.tokens), requireOperator());

  async function tenantOr404(id: string): Promise<TenantRecord> {
    const tenant = await store.tenants.get(id);
    if (!tenant) throw new WardClerkError('NOT_FOUND', 'No such tenant', { details: { resource: 'tenant' } });
    return tenant;
  }

  app.openapi(createTenantRoute, async (c) => {
    const { name } = c.req.valid('json');
    return c.json({ status: 'success' as const, data: tenantView(await store.tenants.create({ name })), metadata: metadata(c) }, 201);
  });

  app.openapi(updateTenantRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const patch = {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.cors_origins !== undefined ? { cors_origins: [...new Set(body.cors_origins.map((o) => normalizeOrigin(o)!))] } : {}),
    };
    const updated = await store.tenants.update(id, patch);
    if (!updated) throw new WardClerkError('NOT_FOUND', 'No such tenant', { details: { resource: 'tenant' } });
    return c.json({ status: 'success' as const, data: tenantView(updated), metadata: metadata(c) }, 200);
  });

  app.openapi(listTenantsRoute, async (c) =>
    c.json({ status: 'success' as const, data: { items: (await store.tenants.list()).map(tenantView) }, metadata: metadata(c) }, 200),
  );

  app.openapi(createClientRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const tenant = await tenantOr404(id);
    const scopes = [...new Set(body.scopes ?? SCOPES)];
    const secret = randomBytes(CLIENT_SECRET_BYTES).toString('base64url');
    const rec = await store.clients.create(tenant.id, { name: body.name, scopes, secret_hash: await hashPassword(secret) });
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'success' as const, data: { ...clientView(rec), client_secret: secret }, metadata: metadata(c) }, 201);
  });

  app.openapi(listClientsRoute, async (c) => {
    const tenant = await tenantOr404(c.req.valid('param').id);
    return c.json({ status: 'success' as const, data: { items: (await store.clients.list(tenant.id)).map(clientView) }, metadata: metadata(c) }, 200);
  });
}
