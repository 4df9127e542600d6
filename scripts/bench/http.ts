/**
 * Sync POST /api/v1/prescriptions at 64 connections through the full path (auth, NATS, engine,
 * encrypted durable write, event) against a bare Hono route parsing the same JSON body, measured
 * in the same run on the same machine. The whole appliance runs as child processes (with its NATS
 * credentials); autocannon drives the load from this process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { credentialsDirOf } from '../../core/nats-credentials.js';
import { createTenantClient, operatorToken } from '../../test/api-client.js';
import { startProcessAppliance } from '../../test/appliance-processes.js';
import { cpuDelta, cpuSnapshot } from './process-cpu.js';

const BODY = JSON.stringify({
  text: 'Metformin 500 mg tablet: take 1 tablet by mouth twice daily with meals for 90 days for type 2 diabetes mellitus.\n' +
    'Lisinopril 10 mg once daily for hypertension. Atorvastatin 20 mg at bedtime.\nDr. Jane Smith, MD',
  patient_ref: 'BENCH-0001',
});

interface LoadResult { requests_per_s: number; p50_ms: number; p99_ms: number; errors: number; non_2xx: number; total: number }

async function load(url: string, headers: Record<string, string>, seconds: number, connections = 64): Promise<LoadResult> {
  const r = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: BODY, connections, duration: seconds });
  return {
    requests_per_s: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    errors: r.errors,
    non_2xx: r.non2xx,
    total: r.requests.total,
  };
}

export async function benchHttp(options: { seconds?: number } = {}): Promise<Record<string, unknown>> {
  const seconds = options.seconds ?? 10;
  const app = await startProcessAppliance();
  const bare = spawn(process.execPath, ['bin/run-ts.js', 'scripts/bench/bare-hono.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const gw = app.url;
    const t = await createTenantClient(gw, await operatorToken(gw, app.adminPassword), 'Bench Hospital');
    const [portLine] = (await once(bare.stdout!, 'data')) as [Buffer];
    const bareUrl = `http://127.0.0.1:${String(portLine).trim()}/bare`;

    await load(bareUrl, {}, 2);
    const baseline = await load(bareUrl, {}, seconds);
    await load(`${gw}/api/v1/prescriptions`, { authorization: `Bearer ${t.token}` }, 3);
    const p = app.pids();
    const pids = { gateway: p.gateway, engine: p.engine, worker: p.worker, nats_server: p.nats, load_generator: process.pid };
    const before = cpuSnapshot(pids);
    const full = await load(`${gw}/api/v1/prescriptions`, { authorization: `Bearer ${t.token}` }, seconds);
    const used = cpuDelta(before, cpuSnapshot(pids));
    const perRequest = Object.fromEntries(Object.entries(used).map(([k, ms]) => [k, ms === null ? null : Number((ms / Math.max(1, full.total)).toFixed(3))]));
    return {
      connections: 64,
      seconds,
      bare_hono: baseline,
      sync_prescriptions: full,
      ratio: Number((full.requests_per_s / baseline.requests_per_s).toFixed(3)),
      // Where the time goes: CPU ms each process spent during the full-path run, in total and per request.
      cpu_ms_during_full_path: used,
      cpu_ms_per_request: perRequest,
      target: { ratio_at_least: 0.25, p99_ms_under: 30 },
    };
  } finally {
    bare.kill('SIGTERM');
    await app.close();
  }
}
