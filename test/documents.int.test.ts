/**
 * Patient documents on the real parts: a real nats-server with per-role permissions, the real
 * gateway, engine (rules extractor, tesseract OCR) and worker. Documents are uploaded over HTTP by
 * the patient, their doctor and nurse, and an API client; run through the tiered pipeline over
 * JetStream (RECEIVED → INGESTED → ANALYZING → INDEXED), watched over real WebSockets and a real
 * webhook receiver; read back, filtered, downloaded and deleted. Bad uploads are coded 4xx with
 * nothing stored; other tenants' and unassigned doctors' patients are 404; a marker string in a
 * document never reaches the disk in plaintext.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WardEvent } from '../core/contracts.js';
import { call, createClient, operatorToken, until, type Envelope, type Page } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { seedCare, type CareSeed } from './care-plan-seed.js';
import { buildDocx, buildZipBomb, corruptPdf, encryptedPdf, pdfOfPages, pngHeaderOnly } from './document-fixtures.js';
import { declareUpload, documentKeys, settled, upload, type DocumentDetail, type DocumentView } from './documents-http.js';
import { expectNowhereOnDisk, whileStopped } from './nowhere-on-disk.js';
import { renderPrescriptionPng, renderScannedPdf, renderTextPdf } from './render-prescription.js';
import { readBody } from './read-body.js';

const MARKER = `QZVX${Date.now().toString(36)}DOCMARKER`;
const DISCHARGE = readFileSync(new URL('../engine/clinical/actions/fixtures/discharge-diabetes.txt', import.meta.url), 'utf8');
const SECRET = 'whsec-documents-0123456789';

let app: Appliance;
let seed: CareSeed;
let other: CareSeed;
let clientToken: string;
let receiver: Server;
const hooks: Array<{ type: string; event: WardEvent }> = [];
const frames: Record<'patient' | 'stranger', WardEvent[]> = { patient: [], stranger: [] };
const sockets: WebSocket[] = [];

async function openSocket(token: string, into: WardEvent[]): Promise<void> {
  const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', token]);
  sockets.push(ws);
  await new Promise<void>((ok, fail) => {
    ws.on('message', (m) => {
      const f = JSON.parse(String(m)) as { type: string; event?: WardEvent };
      if (f.type === 'ready') ok();
      if (f.type === 'event' && f.event) into.push(f.event);
    });
    ws.once('error', fail);
  });
}

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    hooks.push({ type: String(req.headers['x-wardclerk-event']), event: JSON.parse(body) as WardEvent });
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  app = await startAppliance({ without: ['gateway'] });
  seed = await seedCare(app.dataDir, app.config);
  other = await seedCare(app.dataDir, app.config);
  await app.start('gateway');
  const op = await operatorToken(app.url, app.adminPassword);
  clientToken = (await createClient(app.url, op, seed.tenantId, 'records-app', ['webhooks:manage', 'patients:read', 'patients:write'])).token;
  const hook = await call(`${app.url}/api/v1/webhooks`, { method: 'POST', token: clientToken,
    json: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, events: ['document.status'], secret: SECRET } });
  expect(hook.status).toBe(201);
  await openSocket(seed.tokens.patient, frames.patient);
  await openSocket(seed.tokens.stranger, frames.stranger);
}, 120_000);

afterAll(async () => {
  for (const ws of sockets) ws.close();
  await app?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

const pid = () => seed.patientId;
const tok = (who: keyof CareSeed['tokens']) => seed.tokens[who];
const docUrl = (id: string) => `${app.url}/api/v1/patients/${pid()}/documents/${id}`;
const list = async (query = '') => (await call<Envelope<Page<DocumentView>>>(`${app.url}/api/v1/patients/${pid()}/documents?limit=100${query}`, { token: tok('doctor') })).body.data.items;

describe('documents through the tiered pipeline', () => {
  const uploaded: Record<string, string> = {};

  it('a text document from the patient: 202 with a job, then INDEXED with its extraction located by page', async () => {
    const body = Buffer.from(`${DISCHARGE}\n\nReference ${MARKER}\f Follow-up page: HbA1c 8.1 % on 2026-11-20.`);
    const r = await upload(app.url, pid(), body, { token: tok('patient'), type: 'discharge_summary', clinicalDate: '2026-11-28', contentType: 'image/png' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'accepted', job_id: expect.stringMatching(/^job_/), document_id: expect.stringMatching(/^doc_/) });
    uploaded['text'] = r.body.document_id;
    const doc = await settled(app.url, pid(), r.body.document_id, tok('patient'));
    expect(doc).toMatchObject({ status: 'INDEXED', format: 'text', content_type: 'text/plain; charset=utf-8', page_count: 2, failure: null, clinical_date: '2026-11-28' });
    expect(doc.history.map((h) => h.status)).toEqual(['RECEIVED', 'INGESTED', 'ANALYZING', 'INDEXED']);
    expect(doc.pages.map((p) => [p.page, p.text_source, p.ocr_confidence])).toEqual([[1, 'text_layer', null], [2, 'text_layer', null]]);
    expect(doc.extraction?.medications.map((m) => m.name)).toContain('metformin');
    expect(doc.chunk_count).toBeGreaterThan(0);
    expect(doc.embedding_space).toMatch(/^concept:/);
    // Every span has a page; the follow-up HbA1c is on page 2 at its place in that page's text.
    const hba1c = doc.extraction!.observations.findIndex((o) => o.value === 8.1);
    expect(hba1c).toBeGreaterThanOrEqual(0);
    const where = doc.locations.find((l) => l.path === `observations[${hba1c}]`)!;
    expect(where.page).toBe(2);
    expect(' Follow-up page: HbA1c 8.1 % on 2026-11-20.'.slice(where.start, where.end)).toMatch(/HbA1c|8\.1/);

    // The patient's own socket heard each status; an unassigned doctor's heard none; the webhook got them signed.
    const statuses = (events: WardEvent[]) => events.filter((e) => e.type === 'document.status' && e.data['document_id'] === doc.document_id).map((e) => e.data['status']);
    await until(async () => statuses(frames.patient).includes('INDEXED'));
    expect(statuses(frames.patient)).toEqual(['RECEIVED', 'INGESTED', 'ANALYZING', 'INDEXED']);
    await until(async () => statuses(hooks.map((h) => h.event)).includes('INDEXED'));
    expect(new Set(statuses(hooks.map((h) => h.event)))).toEqual(new Set(['RECEIVED', 'INGESTED', 'ANALYZING', 'INDEXED']));
    expect(statuses(frames.stranger)).toEqual([]);
    expect(JSON.stringify([...frames.patient, ...hooks.map((h) => h.event)])).not.toMatch(/metformin|HbA1c/i);
  }, 120_000);

  it('a PDF with a text layer (multipart, the doctor), a scanned PDF and a photo (OCR), a DOCX (the nurse, an API client)', async () => {
    const pdf = renderTextPdf(['Discharge summary', 'Diagnosis: Type 2 diabetes mellitus', 'Metformin 500 mg tablet twice daily', 'Dr. Jane Smith, MD']);
    const png = await renderPrescriptionPng(['Amoxicillin 500 mg capsule three times daily for 7 days', 'Dr. Ravi Kumar MBBS']);
    const scan = await renderScannedPdf([await renderPrescriptionPng(['Atorvastatin 20 mg tablet at night', 'Hypertension'])]);
    const docx = buildDocx(['Consultation note', 'Assessment: asthma', null, 'Plan: Salbutamol inhaler 2 puffs as needed']);
    const sent = [
      { key: 'pdf', bytes: pdf, o: { token: tok('doctor'), type: 'discharge_summary', filename: 'discharge.pdf' } },
      { key: 'png', bytes: png, o: { token: tok('nurse'), type: 'other', contentType: 'image/png' } },
      { key: 'scan', bytes: scan, o: { token: clientToken, type: 'consultation_note', clinicalDate: '2026-10-01', filename: 'scan.pdf' } },
      { key: 'docx', bytes: docx, o: { token: tok('nurse'), type: 'consultation_note', clinicalDate: '2026-09-15', filename: 'note.docx' } },
    ];
    for (const s of sent) {
      const r = await upload(app.url, pid(), s.bytes, s.o);
      expect(r.status, s.key).toBe(202);
      uploaded[s.key] = r.body.document_id;
    }
    const pdfDoc = await settled(app.url, pid(), uploaded['pdf']!, tok('doctor'));
    expect(pdfDoc).toMatchObject({ status: 'INDEXED', format: 'pdf', content_type: 'application/pdf', filename: 'discharge.pdf', pages: [{ page: 1, text_source: 'text_layer', ocr_confidence: null }] });
    expect(pdfDoc.extraction?.medications.map((m) => m.name)).toContain('metformin');
    const pngDoc = await settled(app.url, pid(), uploaded['png']!, tok('doctor'));
    expect(pngDoc).toMatchObject({ status: 'INDEXED', format: 'png', pages: [{ page: 1, text_source: 'ocr' }] });
    expect(pngDoc.pages[0]!.ocr_confidence).toBeGreaterThan(0.5);
    expect(pngDoc.extraction?.medications.map((m) => m.name)).toContain('amoxicillin');
    const scanDoc = await settled(app.url, pid(), uploaded['scan']!, tok('doctor'));
    expect(scanDoc).toMatchObject({ status: 'INDEXED', format: 'pdf', pages: [{ page: 1, text_source: 'ocr' }] });
    expect(scanDoc.extraction?.medications.map((m) => m.name)).toContain('atorvastatin');
    const docxDoc = await settled(app.url, pid(), uploaded['docx']!, tok('doctor'));
    expect(docxDoc).toMatchObject({ status: 'INDEXED', format: 'docx', page_count: 2 });
    expect(docxDoc.extraction?.diseases.map((d) => d.display).join(' ')).toMatch(/asthma/i);
    expect(docxDoc.locations.some((l) => l.page === 2 && l.path.startsWith('medications['))).toBe(true);
  }, 240_000);

  it('a photo of a blank page: FAILED with a coded reason, on the document and over the WebSocket', async () => {
    const sharp = (await import('sharp')).default;
    // A blank page, photographed: OCR finds no text on it.
    const png = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#f4f4f0' } }).png().toBuffer();
    const r = await upload(app.url, pid(), png, { token: tok('patient'), type: 'other' });
    expect(r.status).toBe(202);
    const doc = await settled(app.url, pid(), r.body.document_id, tok('patient'));
    expect(doc.status).toBe('FAILED');
    expect(doc.failure?.code).toBe('UNREADABLE');
    expect(doc.history.map((h) => h.status)).toEqual(['RECEIVED', 'FAILED']);
    await until(async () => frames.patient.some((e) => e.type === 'document.status' && e.data['document_id'] === doc.document_id && e.data['status'] === 'FAILED'));
    const failed = frames.patient.find((e) => e.data['document_id'] === doc.document_id && e.data['status'] === 'FAILED')!;
    expect(failed.data['code']).toBe(doc.failure?.code);
    await until(async () => frames.patient.some((e) => e.type === 'job.completed' && e.data['document_id'] === doc.document_id && e.data['status'] === 'failed'));
    // Failed documents are listed too; delete it so the listings below see only the five good ones.
    expect((await call(docUrl(doc.document_id), { method: 'DELETE', token: tok('patient') })).status).toBe(200);
  }, 120_000);

  it('the same file twice for the same patient is the same document: 200 with it', async () => {
    const pdf = renderTextPdf(['Discharge summary', 'Diagnosis: Type 2 diabetes mellitus', 'Metformin 500 mg tablet twice daily', 'Dr. Jane Smith, MD']);
    const again = await upload(app.url, pid(), pdf, { token: tok('patient'), type: 'other' });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ document_id: uploaded['pdf'], type: 'discharge_summary', status: 'INDEXED' });
    // The same bytes for another patient are that patient's own document.
    const elsewhere = await upload(app.url, other.patientId, pdf, { token: other.tokens.doctor, type: 'other' });
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.body.document_id).not.toBe(uploaded['pdf']);
  });

  it('lists with type and date filters and pages; reads one; gives the original back with its content type', async () => {
    const all = await list();
    expect(all.map((d) => d.document_id)).toEqual([uploaded['text'], uploaded['pdf'], uploaded['png'], uploaded['scan'], uploaded['docx']]);
    expect((await list('&type=consultation_note')).map((d) => d.document_id)).toEqual([uploaded['scan'], uploaded['docx']]);
    expect((await list('&from=2026-09-01&to=2026-10-31')).map((d) => d.document_id)).toEqual([uploaded['scan'], uploaded['docx']]);
    expect((await list('&from=2026-11-01&type=discharge_summary')).map((d) => d.document_id)).toEqual([uploaded['text'], uploaded['pdf']]);
    const first = await call<Envelope<Page<DocumentView>>>(`${app.url}/api/v1/patients/${pid()}/documents?limit=2`, { token: tok('patient') });
    expect(first.body.data.items).toHaveLength(2);
    const second = await call<Envelope<Page<DocumentView>>>(`${app.url}/api/v1/patients/${pid()}/documents?limit=2&cursor=${first.body.data.next_cursor}`, { token: tok('patient') });
    expect(second.body.data.items.map((d) => d.document_id)).toEqual([uploaded['png'], uploaded['scan']]);
    expect((await call(`${app.url}/api/v1/patients/${pid()}/documents?from=2026-13-01`, { token: tok('doctor') })).status).toBe(400);

    const png = await renderPrescriptionPng(['Amoxicillin 500 mg capsule three times daily for 7 days', 'Dr. Ravi Kumar MBBS']);
    const file = await fetch(`${docUrl(uploaded['png']!)}/file`, { headers: { authorization: `Bearer ${tok('patient')}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
    const admin = await call<Envelope<DocumentDetail>>(docUrl(uploaded['docx']!), { token: tok('admin') });
    expect(admin.status).toBe(200);
  });
});

describe('refused uploads store nothing', () => {
  it('each bad input is a coded 4xx', async () => {
    const before = (await list()).length;
    const cases: Array<[string, Uint8Array, number, string]> = [
      ['0-byte', new Uint8Array(0), 400, 'EMPTY_FILE'],
      ['encrypted PDF', encryptedPdf(), 400, 'ENCRYPTED_PDF'],
      ['corrupt PDF', corruptPdf(), 400, 'INVALID_PDF'],
      ['ZIP-bomb DOCX', buildZipBomb(100, false), 413, 'ARCHIVE_TOO_LARGE'],
      ['301 pages', pdfOfPages(301), 413, 'TOO_MANY_PAGES'],
      ['20,000×20,000 image', pngHeaderOnly(20_000, 20_000), 413, 'IMAGE_TOO_LARGE'],
      ['binary', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ];
    for (const [name, bytes, status, code] of cases) {
      const r = await upload(app.url, pid(), bytes, { token: tok('doctor'), type: 'lab_report', ...(name === 'ZIP-bomb DOCX' ? { filename: 'report.docx' } : { contentType: 'application/pdf' }) });
      expect([name, r.status, r.body.error?.code]).toEqual([name, status, code]);
    }
    expect(await declareUpload(app.url, pid(), tok('doctor'), 50 * 1024 * 1024 + 1, 'lab_report')).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect((await upload(app.url, pid(), Buffer.from('HbA1c 7 %'), { token: tok('doctor'), type: 'x-ray' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await upload(app.url, pid(), Buffer.from('HbA1c 7 %'), { token: tok('doctor'), type: 'lab_report', clinicalDate: '2026-02-30' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await list()).length).toBe(before);
  }, 60_000);

  it('another tenant\'s patient and an unassigned doctor\'s get 404, exactly like a missing patient; an admin may not upload', async () => {
    const before = (await list()).length;
    const text = Buffer.from('Potassium 4.1 mmol/L');
    const stranger = await upload(app.url, pid(), text, { token: tok('stranger'), type: 'lab_report' });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'patient' } });
    const otherTenant = await upload(app.url, pid(), text, { token: other.tokens.doctor, type: 'lab_report' });
    expect(otherTenant.status).toBe(404);
    expect(otherTenant.body.error).toEqual(stranger.body.error);
    expect((await upload(app.url, 'pt_00000000000000000000000000', text, { token: tok('doctor'), type: 'lab_report' })).body.error).toEqual(stranger.body.error);
    expect((await upload(app.url, pid(), text, { token: tok('admin'), type: 'lab_report' })).status).toBe(403);
    const doc = (await list())[0]!;
    expect((await call(docUrl(doc.document_id), { token: tok('stranger') })).status).toBe(404);
    expect((await call(`${docUrl(doc.document_id)}/file`, { token: other.tokens.doctor })).status).toBe(404);
    const crossed = await call<Envelope>(`${app.url}/api/v1/patients/${other.patientId}/documents/${doc.document_id}`, { token: other.tokens.doctor });
    expect([crossed.status, crossed.body.error.details?.['resource']]).toEqual([404, 'document']);
    expect((await call(docUrl(doc.document_id), { method: 'DELETE', token: tok('stranger') })).status).toBe(404);
    expect((await list()).length).toBe(before);
  });
});

describe('documented', () => {
  it('the OpenAPI document lists the documents routes', async () => {
    const spec = await call<{ paths: Record<string, Record<string, unknown> | undefined> }>(`${app.url}/api/v1/openapi.json`);
    const base = '/api/v1/patients/{id}/documents';
    for (const [method, path] of [['post', base], ['get', base], ['get', `${base}/{doc_id}`], ['get', `${base}/{doc_id}/file`], ['delete', `${base}/{doc_id}`]] as const) {
      expect(spec.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});

describe('delete and encryption at rest', () => {
  it('deleting a document removes it, its file, pages, extraction, chunks and vectors (raw LevelDB keys)', async () => {
    const victim = (await list('&type=other')).find((d) => d.format === 'png')!;
    const keep = (await list('&type=consultation_note'))[0]!;
    await app.stop('worker');
    await app.stop('gateway');
    let before: Awaited<ReturnType<typeof documentKeys>>;
    try {
      before = await documentKeys(app.dataDir, seed.tenantId);
    } finally {
      await app.start('gateway');
      await app.start('worker');
    }
    const mine = (keys: string[]) => keys.filter((k) => k.includes(victim.document_id));
    for (const t of ['docs', 'docs-patient', 'doc-parts', 'doc-pages', 'doc-extractions', 'doc-chunks', 'doc-vectors'] as const) expect(mine(before[t]).length, t).toBeGreaterThan(0);
    expect(before['docs-hash'].length).toBeGreaterThan(0);

    const del = await call<Envelope<{ deleted: boolean }>>(docUrl(victim.document_id), { method: 'DELETE', token: tok('patient') });
    expect(del.status).toBe(200);
    expect((await call(docUrl(victim.document_id), { token: tok('patient') })).status).toBe(404);
    expect((await call(docUrl(victim.document_id), { method: 'DELETE', token: tok('patient') })).status).toBe(404);

    await whileStopped(app, ['worker', 'gateway'], async () => {
      const after = await documentKeys(app.dataDir, seed.tenantId);
      for (const t of Object.keys(after) as Array<keyof typeof after>) expect(mine(after[t]), t).toEqual([]);
      expect(after['docs-hash'].length).toBe(before['docs-hash'].length - 1);
      expect(after['doc-chunks'].filter((k) => k.startsWith(keep.document_id)).length).toBe(before['doc-chunks'].filter((k) => k.startsWith(keep.document_id)).length);
      // The marker of the first document is nowhere on disk in plaintext: not in LevelDB, not in JetStream.
      await expectNowhereOnDisk(app, [MARKER, 'Glimepiride']);
    });
    // Nor in any log line.
    expect(app.logs()).not.toContain(MARKER);
    // The same file may come again after its deletion, as a new document.
    const png = await renderPrescriptionPng(['Amoxicillin 500 mg capsule three times daily for 7 days', 'Dr. Ravi Kumar MBBS']);
    const again = await upload(app.url, pid(), png, { token: tok('nurse'), type: 'other' });
    expect(again.status).toBe(202);
  }, 120_000);
});
