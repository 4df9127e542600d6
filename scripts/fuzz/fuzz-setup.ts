/**
 * What the fuzz suite needs from a running appliance before it starts: the route list (from the
 * OpenAPI document, plus the routes it does not list), valid and forged tokens, and real ids
 * (a victim tenant, a prescription, a job, a webhook) so that hostile input reaches deep handlers.
 */
import { call, createTenantClient, operatorToken, type Accepted, type Envelope } from '../../test/api-client.js';
import type { FuzzContext, FuzzRoute } from './hostile-requests.js';

/** Routes that exist but are not operations of the OpenAPI document. */
const EXTRA_ROUTES: FuzzRoute[] = [
  { method: 'POST', path: '/api/v1/auth/login', contentTypes: ['application/json'], query: [] },
  { method: 'GET', path: '/api/v1/openapi.json', contentTypes: [], query: [] },
  { method: 'GET', path: '/api/v1/docs', contentTypes: [], query: [] },
  { method: 'GET', path: '/no/such/route/{id}', contentTypes: [], query: [] },
  { method: 'POST', path: '/', contentTypes: ['application/json'], query: [] },
];

/** Every HTTP route of the OpenAPI document (the WebSocket path is fuzzed apart), and the extras. */
export async function discoverRoutes(base: string): Promise<FuzzRoute[]> {
  const doc = (await call(`${base}/api/v1/openapi.json`)).body as { paths: Record<string, Record<string, any>> };
  const routes: FuzzRoute[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path === '/api/v1/ws') continue;
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      routes.push({
        method: method.toUpperCase(),
        path,
        contentTypes: Object.keys(op.requestBody?.content ?? {}),
        query: ((op.parameters ?? []) as Array<{ in: string; name: string }>).filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  const seen = new Set(routes.map((r) => `${r.method} ${r.path}`));
  for (const r of EXTRA_ROUTES) if (!seen.has(`${r.method} ${r.path}`)) routes.push(r);
  return routes;
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** Tokens that must never authenticate: a flipped signature, alg none, another tenant's claims, garbage. */
export function forgeTokens(valid: string): string[] {
  const [h, p, s] = valid.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  const flipped = s.slice(0, -2) + (s.endsWith('AA') ? 'BB' : 'AA');
  return [
    `${h}.${p}.${flipped}`,
    `${b64url('{"alg":"none","typ":"JWT"}')}.${p}.`,
    `${b64url('{"alg":"HS256","typ":"JWT"}')}.${p}.${s}`,
    `${h}.${b64url(JSON.stringify({ ...claims, tenant_id: 'other-tenant', scope: 'admin', role: 'operator' }))}.${s}`,
    `${h}.${b64url(JSON.stringify({ ...claims, exp: 1 }))}.${s}`,
    'a.b.c',
    'not-a-jwt',
    `${h}.${p}`,
    `${h}.${'A'.repeat(5000)}.${s}`,
  ];
}

/** `[id]` when the setup call returned one, else `[]` (a refused setup call leaves that family unprobed). */
const present = (id: string | undefined): string[] => (id ? [id] : []);

/** Logs in, creates the fuzz tenant (every scope) and a victim tenant, and a few real resources. */
export async function prepareContext(base: string, adminPassword: string, existingOperatorToken?: string): Promise<FuzzContext> {
  // A fuzzed login route throttles this address: a second run on the same appliance reuses a token.
  const op = existingOperatorToken ?? (await operatorToken(base, adminPassword));
  const t = await createTenantClient(base, op, 'Fuzz Hospital');
  const victim = await createTenantClient(base, op, 'Fuzz Victim Hospital');
  const rx = await call<Partial<Envelope<{ prescription_id: string }>>>(`${base}/api/v1/prescriptions`, { method: 'POST', token: t.token, json: { text: 'Metformin 500 mg BID for T2DM. Dr. A Smith', patient_ref: 'MRN-FUZZ-1' } });
  const job = await call<Partial<Accepted>>(`${base}/api/v1/prescriptions/batch`, { method: 'POST', token: t.token, json: { items: [{ text: 'Amoxicillin 500 mg TID x 7 days', external_id: 'f1' }] } });
  const hook = await call<Partial<Envelope<{ id: string }>>>(`${base}/api/v1/webhooks`, { method: 'POST', token: t.token, json: { url: 'https://receiver.example.invalid/hook', events: ['job.completed'], secret: 'a-long-shared-secret-for-fuzz' } });
  const ids: Array<[string, string[]]> = [
    ['/api/v1/admin/tenants/', [victim.tenantId]],
    ['/api/v1/prescriptions/', present(rx.body?.data?.prescription_id)],
    ['/api/v1/jobs/', present(job.body?.job_id)],
    ['/api/v1/webhooks/', present(hook.body?.data?.id)],
  ];
  const u = new URL(base);
  const samples: Record<string, unknown> = {
    'POST /api/v1/oauth/token': { grant_type: 'client_credentials', client_id: t.clientId, client_secret: 'wrong-secret' },
    'POST /api/v1/auth/login': { email: rngEmail(), password: 'not-the-password' },
    'POST /api/v1/admin/tenants': { name: 'Fuzz Tenant' },
    'PATCH /api/v1/admin/tenants/{id}': { name: 'Renamed', cors_origins: ['https://app.example'] },
    'POST /api/v1/admin/tenants/{id}/clients': { name: 'fuzz-app', scopes: ['prescriptions:read'] },
    'POST /api/v1/prescriptions': { text: 'Lisinopril 10 mg daily for HTN', patient_ref: 'MRN-2' },
    'POST /api/v1/prescriptions/batch': { items: [{ text: 'Aspirin 81 mg daily', external_id: 'x1' }] },
    'POST /api/v1/webhooks': { url: 'https://receiver.example.invalid/h', events: ['job.completed'], secret: 'another-long-shared-secret' },
    'POST /upload-prescription': { tenant_id: t.tenantId, text: 'Atorvastatin 20 mg nightly' },
    'POST /upload-prescription-batch': { tenant_id: t.tenantId, items: [{ text: 'Aspirin 81 mg daily' }] },
    'POST /api/v1/generate': { messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 },
  };
  return {
    host: `${u.hostname}:${u.port}`,
    clientToken: t.token,
    operatorToken: op,
    forged: forgeTokens(t.token),
    realIds: (path) => ids.find(([prefix]) => path.startsWith(prefix))?.[1] ?? [],
    sample: (route) => samples[`${route.method} ${route.path}`],
  };
}

// Never the real operator account: fuzzed logins must not lock it out.
function rngEmail(): string {
  return 'fuzz-nobody@example.invalid';
}
