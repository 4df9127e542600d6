/**
 * A small HTTP client for integration tests: real fetch against the running gateway, with helpers
 * for the operator login and for a tenant with an API client and its token.
 */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** The `error` of a refusal: a stable code, data in `details`. */
export interface ApiError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A REST answer as a test reads it (`call<Envelope<D>>`): `data` shaped `D` on success, `error`
 * on a refusal. Both are typed and only one is present: a test asserts the status it expects
 * before it reads either, and reading the absent one fails the test.
 */
export interface Envelope<D = unknown> {
  status: string;
  data: D;
  error: ApiError;
  metadata: { timestamp: string; request_id: string };
}

/** A cursor page (`data` of list routes). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A 202 for asynchronous work (a batch, a note): the job to poll; `error` on a refusal. */
export interface Accepted {
  status: string;
  job_id: string;
  status_url: string;
  error: ApiError;
}

/** `GET /api/v1/jobs/{id}` data, as far as tests read it. */
export interface JobView {
  status: string;
  total: number;
  completed: number;
  failed: number;
}

export async function call<T = unknown>(url: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<ApiResponse<T>> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { ...init, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export async function operatorToken(base: string, password: string): Promise<string> {
  const r = await call<Envelope<{ access_token: string }>>(`${base}/api/v1/auth/login`, { method: 'POST', json: { email: 'admin', password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data.access_token;
}

export interface TenantClient {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

/** An API client registered by the operator in an existing tenant and signed in (client credentials). */
export type TenantApiClient = Omit<TenantClient, 'tenantId'>;

/** Registers API client `name` (all scopes when `scopes` is left out) in tenant `tenantId` and signs it in. */
export async function createClient(base: string, opToken: string, tenantId: string, name: string, scopes?: string[]): Promise<TenantApiClient> {
  const c = await call<Envelope<{ client_id: string; client_secret: string }>>(`${base}/api/v1/admin/tenants/${tenantId}/clients`, { method: 'POST', token: opToken, json: { name, ...(scopes ? { scopes } : {}) } });
  if (c.status !== 201) throw new Error(`client create failed: ${c.status} ${JSON.stringify(c.body)}`);
  const { client_id, client_secret } = c.body.data;
  const tok = await call<{ access_token: string }>(`${base}/api/v1/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret }).toString(),
  });
  if (tok.status !== 200) throw new Error(`token failed: ${tok.status} ${JSON.stringify(tok.body)}`);
  return { clientId: client_id, clientSecret: client_secret, token: tok.body.access_token };
}

/** Creates tenant `name` with an API client `<name>-app` (see createClient) signed in. */
export async function createTenantClient(base: string, opToken: string, name: string, scopes?: string[]): Promise<TenantClient> {
  const t = await call<Envelope<{ id: string }>>(`${base}/api/v1/admin/tenants`, { method: 'POST', token: opToken, json: { name } });
  if (t.status !== 201) throw new Error(`tenant create failed: ${t.status} ${JSON.stringify(t.body)}`);
  const tenantId = t.body.data.id;
  return { tenantId, ...(await createClient(base, opToken, tenantId, `${name}-app`, scopes)) };
}

/** Polls `fn` until it returns a truthy value or the deadline passes. */
export async function until<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
