/**
 * `npm run bench -- batch`: 5 batches of 1,000 items through the asynchronous path (gateway →
 * JetStream → worker → engine → store), in items/s from the first submit to the last job done,
 * against the synchronous POST /api/v1/prescriptions rate measured in the same run on the same
 * appliance (gateway, engine, worker and nats-server as child processes). Also checks that every
 * item was stored exactly once (the job's prescription list holds 1,000 distinct items).
 */
import autocannon from 'autocannon';
import { credentialsDirOf } from '../../core/nats-credentials.js';
import { type Accepted, type ApiResponse, call, createTenantClient, type Envelope, type JobView, operatorToken } from '../../test/api-client.js';
import { startProcessAppliance } from '../../test/appliance-processes.js';
import { cpuDelta, cpuSnapshot } from './process-cpu.js';

const JOBS = 5;
const ITEMS = 1000;
const SYNC_NOTE = 'Metformin 500 mg tablet: take 1 tablet by mouth twice daily with meals for 90 days for type 2 diabetes mellitus.\n' +
  'Lisinopril 10 mg once daily for hypertension. Atorvastatin 20 mg at bedtime.\nDr. Jane Smith, MD';

function itemText(job: number, i: number): string {
  // The same note as the sync path, made unique per item so no cache can serve it.
  return `${SYNC_NOTE}\nRef ${job}-${i}`;
}

/** Counts a job's stored prescriptions through GET /api/v1/jobs/{id}/prescriptions (distinct external ids). */
async function countJobPrescriptions(gw: string, token: string, jobId: string): Promise<{ total: number; distinct: number } | null> {
  const seen = new Set<string>();
  let total = 0;
  let cursor: string | null = null;
  do {
    const r: ApiResponse<{ data: { items: Array<{ external_id: string }>; next_cursor: string | null } }> = await call(`${gw}/api/v1/jobs/${jobId}/prescriptions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (r.status !== 200) return null; // route not there (older code)
    for (const it of r.body.data.items) {
      total++;
      seen.add(it.external_id);
    }
    cursor = r.body.data.next_cursor;
  } while (cursor);
  return { total, distinct: seen.size };
}

export async function benchBatch(options: { syncSeconds?: number } = {}): Promise<Record<string, unknown>> {
  const syncSeconds = options.syncSeconds ?? 5;
  const app = await startProcessAppliance();
  try {
    const gw = app.url;
    const t = await createTenantClient(gw, await operatorToken(gw, app.adminPassword), 'Bench Hospital');
    // Warm up both paths (JIT, keys, connections) with a small batch.
    const warm = await call<Accepted>(`${gw}/api/v1/prescriptions/batch`, { method: 'POST', token: t.token, json: { items: Array.from({ length: 50 }, (_, i) => ({ text: itemText(99, i) })) } });
    for (;;) {
      const v = await call<Envelope<JobView>>(`${gw}${warm.body.status_url}`, { token: t.token });
      if (v.body.data.status === 'completed' || v.body.data.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }

    const p = app.pids();
    const pids = { gateway: p.gateway, engine: p.engine, worker: p.worker, nats_server: p.nats, bench: process.pid };
    const before = cpuSnapshot(pids);
    const started = performance.now();
    const jobs: string[] = [];
    for (let j = 0; j < JOBS; j++) {
      const items = Array.from({ length: ITEMS }, (_, i) => ({ text: itemText(j, i), external_id: `bench-${j}-${i}` }));
      const r = await call<Accepted>(`${gw}/api/v1/prescriptions/batch`, { method: 'POST', token: t.token, json: { items } });
      if (r.status !== 202) throw new Error(`batch submit failed: ${r.status}`);
      jobs.push(r.body.job_id);
    }
    const submitMs = performance.now() - started;
    const finished = new Map<string, { completed: number; failed: number }>();
    // Jobs finish roughly in submit order: poll the first unfinished one only (light on the gateway).
    while (finished.size < jobs.length) {
      const id = jobs.find((j) => !finished.has(j))!;
      const v = await call<Envelope<JobView>>(`${gw}/api/v1/jobs/${id}`, { token: t.token });
      if (v.body.data.status === 'completed' || v.body.data.status === 'failed') finished.set(id, { completed: v.body.data.completed, failed: v.body.data.failed });
      else await new Promise((r) => setTimeout(r, 100));
    }
    const elapsedS = (performance.now() - started) / 1000;
    const used = cpuDelta(before, cpuSnapshot(pids));
    const itemsTotal = JOBS * ITEMS;
    const perItem = Object.fromEntries(Object.entries(used).map(([k, ms]) => [k, ms === null ? null : Number((ms / itemsTotal).toFixed(3))]));
    const completed = [...finished.values()].reduce((s, f) => s + f.completed, 0);
    const failed = [...finished.values()].reduce((s, f) => s + f.failed, 0);
    const stored = await countJobPrescriptions(gw, t.token, jobs[0]!);

    // The sync path in the same run: 64 connections, same note.
    const url = `${gw}/api/v1/prescriptions`;
    const opts = { url, method: 'POST' as const, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, body: JSON.stringify({ text: SYNC_NOTE, patient_ref: 'BENCH-0001' }), connections: 64 };
    await autocannon({ ...opts, duration: 2 });
    const sync = await autocannon({ ...opts, duration: syncSeconds });
    const syncRate = Math.round(sync.requests.average);
    const batchRate = Math.round(itemsTotal / elapsedS);
    return {
      jobs: JOBS,
      items_per_job: ITEMS,
      submit_ms: Math.round(submitMs),
      elapsed_s: Number(elapsedS.toFixed(2)),
      batch_items_per_s: batchRate,
      completed,
      failed,
      first_job_stored: stored,
      sync_requests_per_s: syncRate,
      sync_p99_ms: sync.latency.p99,
      sync_non_2xx: sync.non2xx,
      ratio_batch_to_sync: Number((batchRate / Math.max(1, syncRate)).toFixed(3)),
      cpu_ms_during_batch: used,
      cpu_ms_per_item: perItem,
      target: { batch_items_per_s_at_least: 1000 },
    };
  } finally {
    await app.close();
  }
}
