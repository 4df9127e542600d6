/**
 * A batch client collects its results: submit a batch to the real appliance (gateway, engine,
 * worker, nats-server), poll the job, then page through GET /api/v1/jobs/{id}/prescriptions and
 * GET /api/v1/prescriptions?job_id= — every item's prescription exactly once through each, with its
 * item index and external id, and nothing of another job or tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Accepted, type ApiResponse, call, createTenantClient, type Envelope, type JobView, operatorToken, type Page, until, type TenantClient } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';

let app: Appliance;
let a: TenantClient;
let b: TenantClient;

beforeAll(async () => {
  app = await startAppliance();
  const op = await operatorToken(app.url, app.adminPassword);
  a = await createTenantClient(app.url, op, 'Batch Results A');
  b = await createTenantClient(app.url, op, 'Batch Results B');
}, 60_000);
afterAll(async () => {
  await app?.close();
});

async function submit(token: string, n: number, tag: string): Promise<string> {
  const items = Array.from({ length: n }, (_, i) => ({ text: `Amlodipine ${5 + (i % 3)} mg once daily for hypertension (${tag} ${i})`, external_id: `${tag}-${i}` }));
  const r = await call<Accepted>(`${app.url}/api/v1/prescriptions/batch`, { method: 'POST', token, json: { items } });
  expect(r.status).toBe(202);
  return r.body.job_id;
}

/** One prescription as the job and filtered lists return it (the fields these tests read). */
interface ListedPrescription {
  prescription_id: string;
  job_id: string;
  job_item_index: number;
  external_id: string | null;
  medications: Array<{ name: string }>;
}

type ListPage = ApiResponse<Envelope<Page<ListedPrescription>>>;

async function collect(url: (cursor: string | null) => string, token: string): Promise<ListedPrescription[]> {
  const out: ListedPrescription[] = [];
  let cursor: string | null = null;
  do {
    const page: ListPage = await call<Envelope<Page<ListedPrescription>>>(url(cursor), { token });
    expect(page.status).toBe(200);
    expect(page.body.data.items.length).toBeLessThanOrEqual(25);
    out.push(...page.body.data.items);
    cursor = page.body.data.next_cursor;
  } while (cursor);
  return out;
}

describe('batch results', () => {
  it('lists every item of a job exactly once, through the job route and the job_id filter', async () => {
    const n = 130; // several work chunks
    const job = await submit(a.token, n, 'first');
    const other = await submit(a.token, 7, 'other');
    for (const id of [job, other]) {
      await until(async () => (await call<Envelope<JobView>>(`${app.url}/api/v1/jobs/${id}`, { token: a.token })).body.data.status === 'completed', 60_000, 50);
    }
    const q = (cursor: string | null) => (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
    const viaJob = await collect((c) => `${app.url}/api/v1/jobs/${job}/prescriptions?limit=25${q(c)}`, a.token);
    const viaFilter = await collect((c) => `${app.url}/api/v1/prescriptions?job_id=${job}&limit=25${q(c)}`, a.token);
    for (const list of [viaJob, viaFilter]) {
      expect(list).toHaveLength(n);
      expect(new Set(list.map((p) => p.prescription_id)).size).toBe(n);
      expect(list.every((p) => p.job_id === job)).toBe(true);
      expect(list.map((p) => p.job_item_index).sort((x, y) => x - y)).toEqual([...Array(n).keys()]);
      for (const p of list) {
        expect(p.external_id).toBe(`first-${p.job_item_index}`);
        expect(p.medications[0]?.name).toBe('amlodipine');
      }
    }
    expect(viaFilter.map((p) => p.prescription_id)).toEqual(viaJob.map((p) => p.prescription_id));
    expect((await collect((c) => `${app.url}/api/v1/jobs/${other}/prescriptions?limit=25${q(c)}`, a.token)).map((p) => p.external_id).sort())
      .toEqual(Array.from({ length: 7 }, (_, i) => `other-${i}`).sort());
  }, 90_000);

  it('answers 404 for an unknown job or another tenant\'s, and lists nothing of it by filter', async () => {
    const job = await submit(a.token, 3, 'private');
    await until(async () => (await call<Envelope<JobView>>(`${app.url}/api/v1/jobs/${job}`, { token: a.token })).body.data.status === 'completed', 30_000, 50);
    expect((await call(`${app.url}/api/v1/jobs/${job}/prescriptions`, { token: b.token })).status).toBe(404);
    expect((await call<Envelope>(`${app.url}/api/v1/jobs/job_00000000000000000000000000/prescriptions`, { token: a.token })).body.error.code).toBe('NOT_FOUND');
    const filtered = await call<Envelope<Page<ListedPrescription>>>(`${app.url}/api/v1/prescriptions?job_id=${job}`, { token: b.token });
    expect(filtered.status).toBe(200);
    expect(filtered.body.data.items).toEqual([]);
    const bad = await call(`${app.url}/api/v1/jobs/${job}/prescriptions?cursor=not-a-cursor`, { token: a.token });
    expect(bad.status).toBe(400);
  }, 60_000);
});
