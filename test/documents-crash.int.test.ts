/**
 * kill -9 of a worker mid-document: the worker runs as a real process (`wardclerk worker`) beside
 * an in-process gateway and engine on a real nats-server. A 300-page document is uploaded; once
 * the pipeline is part-way (its status moved on from RECEIVED and is not yet INDEXED) the worker is
 * SIGKILLed, and a new worker finishes it after the ack deadline. The document ends INDEXED
 * exactly once: each status entered once (record history and WebSocket), one job completion, as
 * many chunks and vectors in LevelDB as the record says, and the same analysis and chunk count as
 * the same text processed without a crash.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WardEvent } from '../core/contracts.js';
import { until } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { seedCare, type CareSeed } from './care-plan-seed.js';
import { documentKeys, settled, upload, type DocumentView } from './documents-http.js';
import { startRole, type RoleProcess } from './role-process.js';
import { call, type Envelope } from './api-client.js';

const FULL = readFileSync(new URL('../engine/clinical/actions/fixtures/discharge-summary-full.txt', import.meta.url), 'utf8');
/** 300 pages of a full discharge summary, each page numbered. */
const BIG = Buffer.from(Array.from({ length: 300 }, (_, i) => `Page ${i + 1}\n${FULL}`).join('\f'));

let app: Appliance;
let seed: CareSeed;
let worker: RoleProcess | undefined;
const events: WardEvent[] = [];
let ws: WebSocket;

const workerEnv = () => ({
  NATS_URL: app.nats.url, WARDCLERK_DATA_DIR: app.dataDir, WARDCLERK_LOG_LEVEL: 'warn', WARDCLERK_ITEM_ACK_WAIT_MS: '1000', WARDCLERK_ITEM_MAX_DELIVER: '10',
});

beforeAll(async () => {
  app = await startAppliance({ without: ['gateway', 'worker'], env: { WARDCLERK_ITEM_ACK_WAIT_MS: '1000', WARDCLERK_ITEM_MAX_DELIVER: '10' } });
  seed = await seedCare(app.dataDir, app.config);
  await app.start('gateway');
  ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', seed.tokens.patient]);
  await new Promise<void>((ok, fail) => {
    ws.on('message', (m) => {
      const f = JSON.parse(String(m)) as { type: string; event?: WardEvent };
      if (f.type === 'ready') ok();
      if (f.type === 'event' && f.event) events.push(f.event);
    });
    ws.once('error', fail);
  });
}, 120_000);

afterAll(async () => {
  ws?.close();
  await worker?.stop();
  await app?.close();
});

describe('kill -9 of a worker mid-document', () => {
  it('the document finishes exactly once', async () => {
    worker = await startRole('worker', workerEnv());
    const r = await upload(app.url, seed.patientId, BIG, { token: seed.tokens.doctor, type: 'discharge_summary' });
    expect(r.status).toBe(202);
    const id = r.body.document_id;
    const url = `${app.url}/api/v1/patients/${seed.patientId}/documents/${id}`;
    const status = async () => (await call<Envelope<DocumentView>>(url, { token: seed.tokens.doctor })).body.data;
    // Part-way: ingested (its pages stored), not yet indexed.
    const mid = await until(async () => {
      const d = await status();
      return d.status === 'INGESTED' || d.status === 'ANALYZING' || d.status === 'INDEXED' ? d : null;
    }, 60_000, 5);
    await worker.kill9();
    worker = undefined;
    expect(mid.status).not.toBe('INDEXED');
    const atKill = await status();
    expect(['INGESTED', 'ANALYZING']).toContain(atKill.status);

    worker = await startRole('worker', workerEnv());
    const done = await settled(app.url, seed.patientId, id, seed.tokens.doctor, 180_000);
    expect(done.status).toBe('INDEXED');
    expect(done.history.map((h) => h.status)).toEqual(['RECEIVED', 'INGESTED', 'ANALYZING', 'INDEXED']);
    expect(done.pages).toHaveLength(300);

    // The same text without a crash, for another patient of the tenant: the same analysis and chunks.
    const control = await upload(app.url, seed.otherPatientId, BIG, { token: seed.tokens.stranger, type: 'discharge_summary' });
    expect(control.status).toBe(202);
    const ref = await settled(app.url, seed.otherPatientId, control.body.document_id, seed.tokens.stranger, 180_000);
    expect(ref.status).toBe('INDEXED');
    expect(done.analysis).toEqual(ref.analysis);
    expect(done.analysis!.medications).toBeGreaterThan(0);
    expect(done.chunk_count).toBe(ref.chunk_count);

    // Over the WebSocket each status once, and one job completion.
    await until(async () => events.some((e) => e.type === 'job.completed' && e.data['document_id'] === id));
    const mine = events.filter((e) => e.data['document_id'] === id);
    expect(mine.filter((e) => e.type === 'document.status').map((e) => e.data['status'])).toEqual(['RECEIVED', 'INGESTED', 'ANALYZING', 'INDEXED']);
    expect(mine.filter((e) => e.type === 'job.completed')).toHaveLength(1);

    // In LevelDB: exactly the chunks and vectors the record counts, 300 pages, one extraction.
    await worker.stop();
    worker = undefined;
    await app.stop('gateway');
    try {
      const keys = await documentKeys(app.dataDir, seed.tenantId);
      const of = (list: string[]) => list.filter((k) => k.startsWith(id));
      expect(of(keys['doc-chunks'])).toHaveLength(done.chunk_count!);
      expect(of(keys['doc-vectors'])).toHaveLength(done.chunk_count!);
      expect(of(keys['doc-pages'])).toHaveLength(300);
      expect(of(keys['doc-extractions'])).toHaveLength(1);
    } finally {
      await app.start('gateway');
    }
  }, 420_000);
});
