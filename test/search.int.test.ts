/**
 * Searching a patient's documents on the real parts: a real nats-server, the real gateway, engine
 * and worker. Documents of two patients go through the pipeline; search finds each passage with its
 * page and character range and never another patient's; filters, deletion (gone at once from a
 * loaded index), a new document (found without reloading the index), bad queries (coded 4xx),
 * access (unassigned doctor 404); the index lives in memory only: a marker is nowhere on disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createClient, operatorToken, type Envelope } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { seedCare, type CareSeed } from './care-plan-seed.js';
import { indexedText, settled, upload, uploadText } from './documents-http.js';
import { expectNowhereOnDisk, whileStopped } from './nowhere-on-disk.js';

const MARKER = `QZVX${Date.now().toString(36)}SEARCHMARKER`;

interface SearchItem {
  passage: string; document_id: string; document_type: string; document_title: string; clinical_date: string | null;
  page: number; start: number; end: number; section: { kind: string; title: string };
  score: number; bm25_score: number; vector_score: number | null;
}
interface SearchAnswer { items: SearchItem[]; index_state: 'ready' | 'building'; documents_pending: number }
interface ErrorAnswer { error: { code: string; details?: Record<string, unknown> } }

const DISCHARGE = [
  'Discharge summary\nDiagnosis: Type 2 diabetes mellitus with poor control.\n\nHospital course:\nAdmitted with hyperglycaemia, treated and stabilised.',
  `CURRENT MEDICATIONS:\nMetformin 500 mg tablet twice daily with meals. Reference ${MARKER}.\n\nPlan:\nReview in the diabetes clinic in six weeks.`,
];
const LABS = ['Laboratory report\n\nLABS:\nHbA1c 8.1 % (high). Serum potassium 4.2 mmol/L. Creatinine 88 umol/L.'];
const OTHER = ['Consultation note\n\nMedications:\nWarfarin 5 mg daily for atrial fibrillation. INR 2.4 today.'];
const LATER = ['Consultation note\n\nMedications:\nAmlodipine 5 mg once daily for hypertension.'];

let app: Appliance;
let seed: CareSeed;
let clientToken: string;
const ids: Record<'discharge' | 'labs' | 'other' | 'later', string> = { discharge: '', labs: '', other: '', later: '' };

function search<T = SearchAnswer>(patientId: string, query: string, token: string) {
  return call<T extends SearchAnswer ? Envelope<SearchAnswer> : T>(`${app.url}/api/v1/patients/${patientId}/search?${query}`, { token });
}
const q = (text: string, more = '') => `q=${encodeURIComponent(text)}${more}`;
const loads = () => app.logs().split('\n').filter((l) => l.includes('patient index loaded')).length;

beforeAll(async () => {
  app = await startAppliance({ without: ['gateway'] });
  seed = await seedCare(app.dataDir, app.config);
  await app.start('gateway');
  const op = await operatorToken(app.url, app.adminPassword);
  clientToken = (await createClient(app.url, op, seed.tenantId, 'search-app', ['patients:read'])).token;
  ids.discharge = await indexedText(app.url, seed.patientId, seed.tokens.patient, DISCHARGE, 'discharge_summary', '2026-03-10');
  ids.labs = await indexedText(app.url, seed.patientId, seed.tokens.doctor, LABS, 'lab_report', '2025-01-15');
  ids.other = await indexedText(app.url, seed.otherPatientId, seed.tokens.stranger, OTHER, 'consultation_note', '2026-02-01');
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('GET /api/v1/patients/{id}/search', () => {
  it('finds the passage with its document, page and character range, for the patient, the care team and a patients:read client', async () => {
    for (const token of [seed.tokens.patient, seed.tokens.doctor, seed.tokens.nurse, clientToken]) {
      const r = await search(seed.patientId, q('metformin dose'), token);
      expect(r.status).toBe(200);
      expect(r.body.data.index_state).toBe('ready');
      const top = r.body.data.items[0]!;
      expect(top).toMatchObject({ document_id: ids.discharge, document_type: 'discharge_summary', clinical_date: '2026-03-10', page: 2 });
      expect(top.passage).toContain('Metformin 500 mg');
      // The range is the passage's place in its page's text.
      expect(DISCHARGE[1]!.slice(top.start, top.end)).toBe(top.passage);
      expect(top.bm25_score).toBeGreaterThan(0);
      expect(top.vector_score).toEqual(expect.any(Number));
      expect(top.score).toBeGreaterThan(0);
      expect(top.section).toEqual({ kind: 'medications_current', title: 'CURRENT MEDICATIONS' });
    }
    const labs = await search(seed.patientId, q('potassium'), seed.tokens.doctor);
    expect(labs.body.data.items[0]).toMatchObject({ document_id: ids.labs, page: 1, document_type: 'lab_report' });
  });

  it("never returns another patient's passages; each patient finds their own", async () => {
    const mine = await search(seed.patientId, q('warfarin INR atrial fibrillation', '&k=50'), seed.tokens.doctor);
    expect(mine.status).toBe(200);
    for (const item of mine.body.data.items) {
      expect(item.document_id).not.toBe(ids.other);
      expect(item.passage).not.toMatch(/warfarin/i);
    }
    const theirs = await search(seed.otherPatientId, q('warfarin'), seed.tokens.stranger);
    expect(theirs.body.data.items[0]).toMatchObject({ document_id: ids.other });
    expect(theirs.body.data.items.every((i) => i.document_id === ids.other)).toBe(true);
  });

  it('filters by document type, clinical date and section', async () => {
    const all = (await search(seed.patientId, q('diabetes', '&k=50'), seed.tokens.doctor)).body.data.items;
    expect(new Set(all.map((i) => i.document_id))).toEqual(new Set([ids.discharge, ids.labs]));
    const byType = (await search(seed.patientId, q('diabetes', '&k=50&type=lab_report'), seed.tokens.doctor)).body.data.items;
    expect(byType.length).toBeGreaterThan(0);
    expect(byType.every((i) => i.document_type === 'lab_report')).toBe(true);
    const both = (await search(seed.patientId, q('diabetes', '&k=50&type=lab_report,discharge_summary'), seed.tokens.doctor)).body.data.items;
    expect(both.length).toBe(all.length);
    const byDate = (await search(seed.patientId, q('diabetes', '&k=50&from=2026-01-01&to=2026-12-31'), seed.tokens.doctor)).body.data.items;
    expect(byDate.length).toBeGreaterThan(0);
    expect(byDate.every((i) => i.clinical_date === '2026-03-10')).toBe(true);
    const none = (await search(seed.patientId, q('diabetes', '&from=2027-01-01'), seed.tokens.doctor)).body.data.items;
    expect(none).toEqual([]);
    // By section kind, or by the header as written (any case): the plan passage, not the diagnosis.
    for (const section of ['plan', 'pLaN', 'medications_current,plan']) {
      const bySection = (await search(seed.patientId, q('diabetes clinic', `&k=50&section=${section}`), seed.tokens.doctor)).body.data.items;
      expect(bySection.length).toBeGreaterThan(0);
      expect(bySection.every((i) => ['plan', 'medications_current'].includes(i.section.kind)), section).toBe(true);
      expect(bySection.some((i) => i.section.kind === 'plan')).toBe(true);
    }
    expect((await search(seed.patientId, q('diabetes', '&section=allergies'), seed.tokens.doctor)).body.data.items).toEqual([]);
    const k1 = (await search(seed.patientId, q('diabetes', '&k=1'), seed.tokens.doctor)).body.data.items;
    expect(k1.length).toBe(1);
  });

  it('bad queries are coded 4xx, quickly', async () => {
    const code = async (query: string) => {
      const r = await search<ErrorAnswer>(seed.patientId, query, seed.tokens.doctor);
      return [r.status, r.body.error?.code];
    };
    expect(await code('')).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code('q=')).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(q('   '))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(q('a'.repeat(1001)))).toEqual([400, 'QUERY_TOO_LONG']);
    expect(await code(q('b'.repeat(10_000)))).toEqual([400, 'QUERY_TOO_LONG']);
    expect(await code(q('metformin', '&k=0'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(q('metformin', '&k=51'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(q('metformin', '&k=ten'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(q('metformin', '&type=x_ray'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(q('metformin', '&from=2026-13-01'))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(q('metformin', '&from=2026-05-01&to=2026-01-01'))).toEqual([400, 'VALIDATION_FAILED']);
    // 1,000 characters is allowed.
    expect((await search(seed.patientId, q('metformin '.repeat(100)), seed.tokens.doctor)).status).toBe(200);
    // 50 kB of query: refused before any handler runs (the request line is over the header limit).
    const started = Date.now();
    const big = await fetch(`${app.url}/api/v1/patients/${seed.patientId}/search?q=${'c'.repeat(50_000)}`, { headers: { authorization: `Bearer ${seed.tokens.doctor}` } });
    await big.arrayBuffer();
    expect(big.status).toBe(431);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an unassigned doctor, another patient and a missing token get 404 / 401', async () => {
    const stranger = await search<ErrorAnswer>(seed.patientId, q('metformin'), seed.tokens.stranger);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'patient' } });
    const patientOther = await search<ErrorAnswer>(seed.otherPatientId, q('warfarin'), seed.tokens.patient);
    expect(patientOther.status).toBe(404);
    const anon = await call(`${app.url}/api/v1/patients/${seed.patientId}/search?${q('metformin')}`);
    expect(anon.status).toBe(401);
  });

  it('a new document is found without reloading the index; a deleted one is gone at once', async () => {
    expect((await search(seed.patientId, q('potassium'), seed.tokens.doctor)).body.data.items[0]?.document_id).toBe(ids.labs);
    const loadedBefore = loads();
    expect(loadedBefore).toBeGreaterThan(0);
    ids.later = await indexedText(app.url, seed.patientId, seed.tokens.nurse, LATER, 'consultation_note', '2026-04-02');
    const found = await search(seed.patientId, q('amlodipine'), seed.tokens.doctor);
    expect(found.body.data.items[0]).toMatchObject({ document_id: ids.later, page: 1 });
    expect(found.body.data.items[0]!.passage).toContain('Amlodipine');

    const del = await call(`${app.url}/api/v1/patients/${seed.patientId}/documents/${ids.labs}`, { method: 'DELETE', token: seed.tokens.doctor });
    expect(del.status).toBe(200);
    const after = await search(seed.patientId, q('potassium HbA1c creatinine', '&k=50'), seed.tokens.doctor);
    expect(after.body.data.items.map((i) => i.document_id)).not.toContain(ids.labs);
    // Both changes were made in place: the patient's index was not loaded again.
    expect(loads()).toBe(loadedBefore);
  }, 120_000);

  it('says building while a document is still in the pipeline, from a loaded index and from a fresh load', async () => {
    // The index is loaded (and nothing pending) before the upload, so the upload itself must tell it.
    expect((await search(seed.patientId, q('metformin'), seed.tokens.doctor)).body.data).toMatchObject({ index_state: 'ready', documents_pending: 0 });
    await app.stop('worker');
    let pendingId = '';
    try {
      pendingId = await uploadText(app.url, seed.patientId, seed.tokens.doctor, ['Consultation note\n\nPlan:\nStart atorvastatin 20 mg at night.'], 'consultation_note');
      const loaded = await search(seed.patientId, q('metformin'), seed.tokens.doctor);
      expect(loaded.body.data).toMatchObject({ index_state: 'building', documents_pending: 1 });
      expect(loaded.body.data.items[0]?.document_id).toBe(ids.discharge);
      // A fresh gateway loads the index from the store and finds the document still pending.
      await app.stop('gateway');
      await app.start('gateway');
      const fresh = await search(seed.patientId, q('metformin'), seed.tokens.doctor);
      expect(fresh.body.data).toMatchObject({ index_state: 'building', documents_pending: 1 });
    } finally {
      await app.start('worker');
    }
    await settled(app.url, seed.patientId, pendingId, seed.tokens.doctor);
    const ready = await search(seed.patientId, q('atorvastatin'), seed.tokens.doctor);
    expect(ready.body.data).toMatchObject({ index_state: 'ready', documents_pending: 0 });
    expect(ready.body.data.items[0]?.document_id).toBe(pendingId);
  }, 90_000);

  it('a document that fails is no longer pending', async () => {
    expect((await search(seed.patientId, q('metformin'), seed.tokens.doctor)).body.data.documents_pending).toBe(0);
    const sharp = (await import('sharp')).default;
    // A blank page, photographed: OCR finds no text on it (UNREADABLE).
    const png = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#f4f4f0' } }).png().toBuffer();
    const r = await upload(app.url, seed.patientId, png, { token: seed.tokens.doctor, type: 'other' });
    expect(r.status).toBe(202);
    expect((await settled(app.url, seed.patientId, r.body.document_id, seed.tokens.doctor)).status).toBe('FAILED');
    expect((await search(seed.patientId, q('metformin'), seed.tokens.doctor)).body.data).toMatchObject({ index_state: 'ready', documents_pending: 0 });
  }, 60_000);

  it('is in the OpenAPI document with its query parameters and codes', async () => {
    type Op = { description: string; parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> };
    const spec = await call<{ paths: Record<string, Record<string, Op> | undefined> }>(`${app.url}/api/v1/openapi.json`);
    const op = spec.body.paths['/api/v1/patients/{id}/search']?.['get'];
    expect(op).toBeDefined();
    expect(op!.parameters.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['from', 'k', 'q', 'section', 'to', 'type']);
    expect(op!.description).toContain('QUERY_TOO_LONG');
    expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404']));
  });

  it('keeps the index in memory only: no search marker on disk, no question in the logs', async () => {
    const r = await search(seed.patientId, q(MARKER), seed.tokens.doctor);
    expect(r.body.data.items[0]?.passage).toContain(MARKER);
    await whileStopped(app, ['worker', 'gateway'], () => expectNowhereOnDisk(app, [MARKER, 'Amlodipine']));
    expect(app.logs()).not.toContain(MARKER);
    expect(app.logs()).not.toMatch(/metformin|amlodipine|warfarin/i);
  }, 60_000);
});
