/**
 * Tenants are isolated on every route, and no file at rest (LevelDB or the JetStream store)
 * contains a submitted note's text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type Appliance } from './appliance.js';
import { call, createTenantClient, operatorToken, until, type Accepted, type Envelope, type JobView, type Page, type TenantClient } from './api-client.js';
import { expectNowhereOnDisk, whileStopped } from './nowhere-on-disk.js';

let app: Appliance;
let a: TenantClient;
let b: TenantClient;
let rxId: string;
let jobId: string;
let hookId: string;
const MARKER = `ZQXJ${Date.now().toString(36)}MARKERPHI`;

beforeAll(async () => {
  app = await startAppliance();
  const op = await operatorToken(app.url, app.adminPassword);
  a = await createTenantClient(app.url, op, 'Tenant A');
  b = await createTenantClient(app.url, op, 'Tenant B');
  const note = `Atorvastatin 20 mg tablet nightly for hyperlipidemia. ${MARKER}. Dr. Ada Lovelace`;
  const r = await call<Envelope<{ prescription_id: string }>>(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, json: { text: note, patient_ref: `P-${MARKER}` } });
  rxId = r.body.data.prescription_id;
  const j = await call<Accepted>(`${app.url}/api/v1/prescriptions/batch`, { method: 'POST', token: a.token, json: { items: [{ text: `${note} batch`, patient_ref: `P-${MARKER}` }] } });
  jobId = j.body.job_id;
  await until(async () => (await call<Envelope<JobView | undefined>>(`${app.url}/api/v1/jobs/${jobId}`, { token: a.token })).body.data?.status === 'completed');
  const h = await call<Envelope<{ id: string }>>(`${app.url}/api/v1/webhooks`, { method: 'POST', token: a.token, json: { url: 'http://127.0.0.1:9/hook', events: ['job.completed'], secret: 'a-very-long-shared-secret' } });
  hookId = h.body.data.id;
});
afterAll(async () => {
  await app?.close();
});

describe('tenant isolation', () => {
  it('another tenant gets 404 for ids exactly like ids that do not exist', async () => {
    const probes: Array<[string, string, string?]> = [
      ['GET', `/api/v1/prescriptions/${rxId}`, '/api/v1/prescriptions/does-not-exist'],
      ['GET', `/api/v1/jobs/${jobId}`, '/api/v1/jobs/does-not-exist'],
      ['DELETE', `/api/v1/webhooks/${hookId}`, '/api/v1/webhooks/does-not-exist'],
    ];
    for (const [method, path, missing] of probes) {
      const theirs = await call<Envelope>(`${app.url}${path}`, { method, token: b.token });
      const none = await call<Envelope>(`${app.url}${missing}`, { method, token: b.token });
      expect(theirs.status, path).toBe(404);
      expect(theirs.body.error).toEqual(none.body.error);
      const own = await call(`${app.url}${path}`, { method: method === 'DELETE' ? 'GET' : method, token: a.token });
      if (method !== 'DELETE') expect(own.status, path).toBe(200);
    }
  });

  it('lists never show another tenant’s records', async () => {
    const list = await call<Envelope<Page<unknown>>>(`${app.url}/api/v1/prescriptions?limit=100`, { token: b.token });
    expect(list.body.data.items).toHaveLength(0);
    const hooks = await call<Envelope<unknown[]>>(`${app.url}/api/v1/webhooks`, { token: b.token });
    expect(hooks.body.data).toHaveLength(0);
    const legacy = await call(`${app.url}/get-data?tenant_id=${a.tenantId}`, { token: b.token });
    expect(legacy.status).toBe(403);
    const own = await call(`${app.url}/get-data?tenant_id=${b.tenantId}`, { token: b.token });
    expect(own.body).toEqual([]);
  });

  it('clients cannot use operator routes and the operator is not a tenant', async () => {
    expect((await call(`${app.url}/api/v1/admin/tenants`, { token: a.token })).status).toBe(403);
    expect((await call(`${app.url}/api/v1/admin/tenants`, { method: 'POST', token: a.token, json: { name: 'x' } })).status).toBe(403);
    const op = await operatorToken(app.url, app.adminPassword);
    expect((await call(`${app.url}/api/v1/prescriptions`, { token: op })).status).toBe(403);
  });

  it('a client without a scope is refused', async () => {
    const op = await operatorToken(app.url, app.adminPassword);
    const ro = await createTenantClient(app.url, op, 'Read Only', ['prescriptions:read']);
    const r = await call(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: ro.token, json: { text: 'Aspirin 81 mg daily' } });
    expect(r.status).toBe(403);
  });
});

describe('encryption at rest', () => {
  it('no file under the data dir or the JetStream store contains the note text or patient ref', async () => {
    await whileStopped(app, ['worker', 'engine', 'gateway'], () => expectNowhereOnDisk(app, [MARKER, 'Atorvastatin']));
  });
});

describe('no PHI in logs', () => {
  it('no log line of any role contains the note text or the patient ref', () => {
    const logs = app.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(MARKER);
    expect(logs).not.toContain('Atorvastatin');
    expect(logs).not.toContain('Lovelace');
  });
});
