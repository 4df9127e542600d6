/**
 * The short fuzz run of `npm test`: ~1,500 hostile requests (every route of the OpenAPI document,
 * the unlisted ones, and /api/v1/ws) against the real appliance as processes on loopback. Holds
 * the bar: no 5xx other than a documented overload answer, no unanswered socket, no role
 * restarted, gateway RSS growth under 50 MB and live-heap growth under 10 MB (both after a full
 * collection); and the appliance still serves afterwards. The long
 * run is `npm run fuzz`. Replay a failure with `FUZZ_SEED=<seed>` (or `npm run fuzz -- --seed S --only I`).
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverRoutes, prepareContext } from '../scripts/fuzz/fuzz-setup.js';
import type { FuzzContext } from '../scripts/fuzz/hostile-requests.js';
import { collectorFor, INSPECT_ENV } from '../scripts/fuzz/inspector-gc.js';
import { runFuzz, type FuzzReport } from '../scripts/fuzz/run-fuzz.js';
import { call } from './api-client.js';
import { startProcessAppliance, type ProcessAppliance } from './appliance-processes.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const COUNT = 1500;

let app: ProcessAppliance;
let ctx: FuzzContext;
let report: FuzzReport;

beforeAll(async () => {
  app = await startProcessAppliance(INSPECT_ENV);
  ctx = await prepareContext(app.url, app.adminPassword);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

describe('fuzz (short run)', () => {
  it(`${COUNT} hostile requests: no unexpected 5xx, no hang, no restart, bounded RSS`, async () => {
    const routes = await discoverRoutes(app.url);
    expect(routes.length).toBeGreaterThan(25);
    report = await runFuzz({ base: app.url, ctx, routes, count: COUNT, seconds: 90, seed: SEED, pids: app.pids(), currentPids: () => app.pids(), collect: collectorFor(() => app.roles.gateway.logs()), logs: () => app.roles.gateway.logs() });
    console.log(JSON.stringify({ ...report, failures: report.failures.slice(0, 10) }));
    expect(report.requests).toBeGreaterThan(COUNT / 2); // the time bound must not cut the run short
    expect(report.failures, `seed ${SEED}`).toEqual([]);
    expect(report.server_errors).toBe(0);
    expect(report.unanswered).toBe(0);
    expect(report.closed_without_answer.well_formed).toBe(0);
    expect(Object.values(report.restarts).some(Boolean)).toBe(false);
    // Measured after a forced full collection of the gateway (its inspector), so what counts is
    // memory it keeps, not garbage V8 has yet to collect.
    expect(report.rss_mb.growth).toBeLessThan(50);
    expect(report.heap_mb?.growth).toBeLessThan(10);
    // An error-level line means a handler failed, even when the answer was fine (a client that hangs
    // up mid-body is CANCELLED, not an error).
    expect(report.error_logs.first).toEqual([]);
    expect(report.ok).toBe(true);
  }, 180_000);

  it('the appliance still serves afterwards: health, a prescription, a WebSocket ready', async () => {
    expect((await call(`${app.url}/healthz`)).status).toBe(200);
    const rx = await call(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: ctx.clientToken, json: { text: 'Metformin 500 mg BID for T2DM' } });
    expect(rx.status).toBe(201);
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', ctx.clientToken]);
      ws.on('error', reject);
      ws.once('message', (m) => {
        resolve(JSON.parse(String(m)) as { type: string });
        ws.close();
      });
    });
    expect(first.type).toBe('ready');
  }, 30_000);
});
