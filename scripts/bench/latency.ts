/**
 * `npm run bench -- latency`: latency of the synchronous POST /api/v1/prescriptions on the whole
 * appliance (gateway, engine, worker, nats-server as child processes):
 *  - idle: one connection, one request at a time, timed here with sub-millisecond resolution;
 *  - capacity: 64 connections flat out (requests/s, p99);
 *  - 40 %: a fixed rate of 40 % of that capacity (p50, p99);
 * and where the time goes: the mean of each stage of `wardclerk_request_stage_seconds` (auth,
 * body, engine, store, event) over the idle run, from /metrics.
 */
import { request, Agent } from 'node:http';
import autocannon from 'autocannon';
import { createTenantClient, operatorToken } from '../../test/api-client.js';
import { startProcessAppliance } from '../../test/appliance-processes.js';

const BODY = JSON.stringify({
  text: 'Metformin 500 mg tablet: take 1 tablet by mouth twice daily with meals for 90 days for type 2 diabetes mellitus.\n' +
    'Lisinopril 10 mg once daily for hypertension. Atorvastatin 20 mg at bedtime.\nDr. Jane Smith, MD',
  patient_ref: 'BENCH-0001',
});

function pct(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(3));
}

/** One keep-alive connection, requests back to back; returns each request's latency in ms. */
async function sequential(url: URL, token: string, count: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const one = () => new Promise<number>((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(BODY) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve(performance.now() - t0) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(BODY);
  });
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await one());
  agent.destroy();
  return out;
}

/** Per stage, the histogram's _sum (seconds) and _count from a /metrics text. */
function stageTotals(metricsText: string): Record<string, { sum: number; count: number }> {
  const out: Record<string, { sum: number; count: number }> = {};
  for (const line of metricsText.split('\n')) {
    const m = /^wardclerk_request_stage_seconds_(sum|count)\{stage="(\w+)"\} ([0-9.e+-]+)$/.exec(line);
    if (!m) continue;
    const s = (out[m[2]!] ??= { sum: 0, count: 0 });
    s[m[1] as 'sum' | 'count'] = Number(m[3]);
  }
  return out;
}

/** Mean milliseconds per stage between two scrapes. */
function stageMeans(before: Record<string, { sum: number; count: number }>, after: Record<string, { sum: number; count: number }>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([stage, a]) => {
    const b = before[stage] ?? { sum: 0, count: 0 };
    return [stage, Number((((a.sum - b.sum) / Math.max(1, a.count - b.count)) * 1000).toFixed(3))];
  }));
}

export async function benchLatency(options: { idleRequests?: number; seconds?: number } = {}): Promise<Record<string, unknown>> {
  const idleRequests = options.idleRequests ?? 2000;
  const seconds = options.seconds ?? 8;
  const app = await startProcessAppliance();
  try {
    const gw = app.url;
    const t = await createTenantClient(gw, await operatorToken(gw, app.adminPassword), 'Bench Hospital');
    const url = new URL(`${gw}/api/v1/prescriptions`);

    await sequential(url, t.token, 300); // warm-up
    const before = stageTotals(await (await fetch(`${gw}/metrics`)).text());
    const idle = (await sequential(url, t.token, idleRequests)).sort((a, b) => a - b);
    const stages = stageMeans(before, stageTotals(await (await fetch(`${gw}/metrics`)).text()));

    const load = { url: url.href, method: 'POST' as const, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, body: BODY };
    await autocannon({ ...load, connections: 64, duration: 2 });
    const cap = await autocannon({ ...load, connections: 64, duration: seconds });
    const capacity = Math.round(cap.requests.average);
    const rate = Math.max(1, Math.round(capacity * 0.4));
    const at40 = await autocannon({ ...load, connections: 16, overallRate: rate, duration: seconds });
    return {
      idle_one_connection: { requests: idleRequests, p50_ms: pct(idle, 50), p90_ms: pct(idle, 90), p99_ms: pct(idle, 99) },
      // Where the idle request's time goes (means over the idle run, from /metrics); the rest is HTTP.
      idle_stage_mean_ms: stages,
      capacity_64_connections: { requests_per_s: capacity, p50_ms: cap.latency.p50, p99_ms: cap.latency.p99, non_2xx: cap.non2xx },
      at_40_percent: { target_rate: rate, requests_per_s: Math.round(at40.requests.average), p50_ms: at40.latency.p50, p99_ms: at40.latency.p99, non_2xx: at40.non2xx },
      target: { idle_p50_ms_at_most: 2, at_40_percent_p99_ms_at_most: 15, capacity_p99_ms_under: 30 },
    };
  } finally {
    await app.close();
  }
}
