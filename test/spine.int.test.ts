/**
 * The spine end to end over real HTTP: operator → tenant → client → token → sync and batch
 * prescriptions → jobs → read back → legacy aliases → docs/health/metrics, against a real
 * nats-server and real LevelDB, with the gateway, engine and worker running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type Appliance } from './appliance.js';
import { call, createTenantClient, operatorToken, until, type Accepted, type Envelope, type JobView, type Page, type TenantClient } from './api-client.js';

interface Span { start: number; end: number }
/** A stored prescription, as far as these tests read it. */
interface Prescription {
  prescription_id: string;
  medications: Array<{ name: string; strength: string; frequency: string; dosage: Array<{ timing: { repeat: { frequency: number } } }>; spans: { name: Span } }>;
  doctor: { name: string };
  extractor: { id: string };
  spans: Span[];
}
/** A row of the legacy GET /get-data. */
interface LegacyRow { prescription_id: string; disease: string; prescription: string; doctor: string }
type Readiness = { checks: { engine: { ok: boolean } } };

const NOTE = 'Metformin 500 mg tablet, take 1 tablet by mouth twice daily for 30 days for type 2 diabetes.\nDr. Jane Smith, MD';

let app: Appliance;
let op: string;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  app = await startAppliance();
  op = await operatorToken(app.url, app.adminPassword);
  a = await createTenantClient(app.url, op, 'General Hospital');
  b = await createTenantClient(app.url, op, 'Other Clinic');
});
afterAll(async () => {
  await app?.close();
});

describe('sync prescriptions', () => {
  it('extracts, stores and reads back a prescription in the envelope', async () => {
    const r = await call<Envelope<Prescription>>(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, json: { text: NOTE, patient_ref: 'MRN-0001' } });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('success');
    expect(r.body.metadata.request_id).toBeTruthy();
    const rx = r.body.data;
    expect(rx.prescription_id).toMatch(/^[A-Za-z0-9_-]+$/);
    const met = rx.medications.find((m) => m.name === 'metformin');
    if (!met) throw new Error('no metformin in the extraction');
    expect(met.strength).toBe('500 mg');
    expect(met.frequency).toBe('BID');
    expect(met.dosage[0]?.timing.repeat.frequency).toBe(2);
    expect(rx.doctor.name).toContain('Jane Smith');
    expect(rx.extractor.id).toBe('rules');
    for (const s of rx.spans) expect(s.end).toBeGreaterThan(s.start);
    expect(NOTE.slice(met.spans.name.start, met.spans.name.end).toLowerCase()).toBe('metformin');

    const back = await call<Envelope<Prescription>>(`${app.url}/api/v1/prescriptions/${rx.prescription_id}`, { token: a.token });
    expect(back.status).toBe(200);
    expect(back.body.data.medications).toEqual(rx.medications);
  });

  it('lists with filters and cursor pagination', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await call(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, json: { text: `Lisinopril 10 mg daily for hypertension. Dr. Omar Khan`, patient_ref: 'MRN-LIST' } });
      expect(r.status).toBe(201);
    }
    const list = (query: string, token = a.token) => call<Envelope<Page<Prescription>>>(`${app.url}/api/v1/prescriptions?${query}`, { token });
    const page1 = await list('patient_ref=MRN-LIST&limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.data.items).toHaveLength(2);
    expect(page1.body.data.next_cursor).toBeTruthy();
    const page2 = await list(`patient_ref=MRN-LIST&limit=2&cursor=${encodeURIComponent(page1.body.data.next_cursor ?? '')}`);
    expect(page2.body.data.items).toHaveLength(1);
    const ids = new Set([...page1.body.data.items, ...page2.body.data.items].map((x) => x.prescription_id));
    expect(ids.size).toBe(3);
    const byDoctor = await list('doctor=khan');
    expect(byDoctor.body.data.items.length).toBeGreaterThanOrEqual(3);
    const byDisease = await list('disease=hypertension');
    expect(byDisease.body.data.items.length).toBeGreaterThanOrEqual(3);
    const none = await list('patient_ref=MRN-LIST', b.token);
    expect(none.body.data.items).toHaveLength(0);
  });
});

describe('batch jobs', () => {
  it('runs a batch through JetStream and the worker to completed', async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ text: `Amoxicillin 500 mg capsule three times daily for 7 days (${i})`, external_id: `ext-${i}` }));
    const r = await call<Accepted>(`${app.url}/api/v1/prescriptions/batch`, { method: 'POST', token: a.token, json: { items } });
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('accepted');
    expect(r.body.status_url).toBe(`/api/v1/jobs/${r.body.job_id}`);
    const job = await until(async () => {
      const j = await call<Envelope<JobView | undefined>>(`${app.url}${r.body.status_url}`, { token: a.token });
      return j.body.data?.status === 'completed' ? j.body.data : undefined;
    });
    expect(job.total).toBe(25);
    expect(job.completed).toBe(25);
    expect(job.failed).toBe(0);
    const other = await call(`${app.url}${r.body.status_url}`, { token: b.token });
    expect(other.status).toBe(404);
  });
});

describe('legacy aliases', () => {
  it('keeps the original shapes', async () => {
    const up = await call<{ status: string; prescription_id: string }>(`${app.url}/upload-prescription`, { method: 'POST', token: a.token, json: { tenant_id: a.tenantId, text: NOTE } });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ status: 'success', prescription_id: expect.any(String) });
    const rows = await call<LegacyRow[]>(`${app.url}/get-data?tenant_id=${a.tenantId}`, { token: a.token });
    expect(rows.status).toBe(200);
    const row = rows.body.find((x) => x.prescription_id === up.body.prescription_id);
    if (!row) throw new Error('the uploaded prescription is not in /get-data');
    expect(row.disease.toLowerCase()).toContain('diabetes');
    expect(row.prescription).toContain('metformin');
    expect(row.doctor).toContain('Jane Smith');
    const wrong = await call(`${app.url}/get-data?tenant_id=${b.tenantId}`, { token: a.token });
    expect(wrong.status).toBe(403);
    const wrongUp = await call(`${app.url}/upload-prescription`, { method: 'POST', token: a.token, json: { tenant_id: b.tenantId, text: NOTE } });
    expect(wrongUp.status).toBe(403);
    const batch = await call<Accepted>(`${app.url}/upload-prescription-batch`, { method: 'POST', token: a.token, json: { tenant_id: a.tenantId, items: [{ text: NOTE }] } });
    expect(batch.status).toBe(202);
    expect(batch.body.job_id).toBeTruthy();
  });
});

describe('operations', () => {
  it('serves OpenAPI 3.1, docs, health, readiness and metrics', async () => {
    const spec = await call<{ openapi: string; paths: Record<string, unknown> }>(`${app.url}/api/v1/openapi.json`);
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    for (const p of ['/api/v1/prescriptions', '/api/v1/prescriptions/batch', '/api/v1/jobs/{id}', '/api/v1/webhooks', '/api/v1/oauth/token', '/upload-prescription']) {
      expect(Object.keys(spec.body.paths)).toContain(p);
    }
    const docs = await fetch(`${app.url}/api/v1/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/api/v1/openapi.json');
    expect((await call(`${app.url}/healthz`)).status).toBe(200);
    const ready = await call<Envelope<Readiness>>(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.data.checks.engine.ok).toBe(true);
    const metrics = await fetch(`${app.url}/metrics`);
    const text = await metrics.text();
    expect(text).toContain('wardclerk_http_request_duration_seconds_bucket{');
    expect(text).toContain('route="/api/v1/prescriptions"');
    expect(text).toContain('wardclerk_extraction_latency_seconds_bucket{');
    expect(text).toContain('wardclerk_jetstream_pending_messages{stream="WC_ITEMS",consumer="items"}');
  });

  it('answers 503 on /readyz when no engine answers', async () => {
    await app.stop('engine');
    try {
      const ready = await call<Envelope>(`${app.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body.error.details).toMatchObject({ checks: { engine: { ok: false } } });
      const r = await call<Envelope>(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, json: { text: NOTE } });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('ENGINE_UNAVAILABLE');
    } finally {
      await app.start('engine');
    }
  });
});
