/**
 * The fuzz loop: hostile requests to every route and hostile WebSocket traffic, bounded by count
 * and time, `concurrency` at once, each with its own timeout. Reports a status histogram, every
 * 5xx that is not a documented overload answer, every socket left unanswered, role restarts and
 * the gateway's RSS before, at peak and after. Each failure names the run seed and its index.
 */
import { fileURLToPath } from 'node:url';
import { processAlive, rssBytes } from '../../test/appliance-processes.js';
import type { HeapReading } from './inspector-gc.js';
import { hostileRequest, type FuzzContext, type FuzzRoute } from './hostile-requests.js';
import { hostileWs } from './hostile-ws.js';
import { createRng, mixSeed } from './prng.js';
import { exchange } from './raw-http.js';

export interface FuzzOptions {
  base: string;
  ctx: FuzzContext;
  routes: FuzzRoute[];
  count: number;
  seconds: number;
  seed: number;
  concurrency?: number;
  /**
   * Per request (default 40 s, past the gateway's 30 s engine timeout, so a slow engine shows as
   * its 504 and only a socket nobody answers counts as unanswered).
   */
  timeoutMs?: number;
  /** Share of WebSocket cases (default 0.1). */
  wsShare?: number;
  /** Replay these indexes only. */
  only?: number[];
  /**
   * Requests sent before the RSS baseline is taken (default count/3, at most 1,000): V8 grows its
   * heap to the working size of this traffic first, so the growth measured after is what stays.
   * The baseline is the highest RSS seen during the warm-up (the working set's high-water mark).
   */
  warmup?: number;
  /**
   * A full garbage collection of the gateway (scripts/fuzz/inspector-gc.ts). When given, the RSS
   * baseline and the final reading are both taken right after one, so garbage V8 has not collected
   * yet does not count as growth, and the live JS heap is reported too.
   */
  collect?: () => Promise<HeapReading>;
  /** Role pids to watch for restarts; `gateway` is also sampled for RSS. */
  pids: Record<string, number>;
  /** Called again after the run: a restarted role has another pid. */
  currentPids?: () => Record<string, number>;
  onProgress?: (done: number) => void;
  /** The roles' captured output since they started (pino JSON lines): error-level lines are counted. */
  logs?: () => string;
}

export interface FuzzFailure {
  seed: number;
  index: number;
  route: string;
  kinds: string[];
  problem: 'server-error' | 'unanswered' | 'closed-without-answer';
  status?: number;
  code?: string;
  ms?: number;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  warmup_requests: number;
  http_requests: number;
  ws_cases: number;
  seconds: number;
  routes: number;
  statuses: Record<string, number>;
  ws_outcomes: Record<string, number>;
  server_errors: number;
  overload_answers: number;
  unanswered: number;
  closed_without_answer: { malformed_http: number; well_formed: number };
  restarts: Record<string, boolean>;
  /** Error and fatal log lines the roles wrote (message and code only). */
  error_logs: { count: number; first: Array<{ msg?: string; code?: string; role?: string; at?: string }> };
  /**
   * start: before any request; before: after a full collection following the warm-up (without
   * `collect`: the warm-up's high-water mark); after: after a full collection following the run
   * (without: the lowest while settling, ≤ 12 s).
   */
  rss_mb: { start: number; before: number; peak: number; after: number; growth: number };
  /** Live JS heap of the gateway after a full collection, after the warm-up and after the run (with `collect`). */
  heap_mb?: { before: number; after: number; growth: number };
  failures: FuzzFailure[];
  failures_total: number;
  ok: boolean;
}

const MB = 1024 * 1024;
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function errorCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** A documented overload answer: 503 with Retry-After and an overload code; /readyz's not-ready 503. */
function allowed5xx(route: string, status: number, headers: Record<string, string>, code: string | undefined): boolean {
  if (status !== 503) return false;
  if (route === 'GET /readyz' && (code === 'NOT_READY' || code === undefined)) return true; // HEAD has no body
  return headers['retry-after'] !== undefined && (code === 'OVERLOADED' || code === 'ENGINE_BUSY' || code === 'RATE_LIMITED');
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const concurrency = o.concurrency ?? 8;
  const timeoutMs = o.timeoutMs ?? 40_000;
  const wsShare = o.wsShare ?? 0.1;
  const u = new URL(o.base);
  const host = u.hostname;
  const port = Number(u.port);
  const statuses: Record<string, number> = {};
  const wsOutcomes: Record<string, number> = {};
  const failures: FuzzFailure[] = [];
  let failuresTotal = 0;
  let serverErrors = 0;
  let overload = 0;
  let unanswered = 0;
  const closed = { malformed_http: 0, well_formed: 0 };
  let httpCount = 0;
  let wsCount = 0;
  const fail = (f: FuzzFailure) => {
    failuresTotal++;
    if (failures.length < 50) failures.push(f);
  };

  const gatewayPid = o.pids['gateway']!;
  const rssStart = rssBytes(gatewayPid) ?? 0;
  let rssBefore = rssStart;
  let peak = rssStart;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(gatewayPid) ?? 0)), 200);

  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const indexes = o.only ?? null;
  let next = 0;
  let done = 0;
  const take = (): number | null => {
    if (performance.now() > deadline) return null;
    if (indexes) return next < indexes.length ? indexes[next++]! : null;
    return next < o.count ? next++ : null;
  };

  const one = async (index: number) => {
    const rng = createRng(mixSeed(o.seed, index));
    if (rng.chance(wsShare)) {
      wsCount++;
      const { kinds, result } = await hostileWs(rng, o.base, o.ctx.clientToken, timeoutMs);
      const key = result.outcome === 'refused' ? `refused-${result.status}` : result.outcome;
      wsOutcomes[key] = (wsOutcomes[key] ?? 0) + 1;
      if (result.outcome === 'hang') {
        unanswered++;
        fail({ seed: o.seed, index, route: 'GET /api/v1/ws', kinds, problem: 'unanswered' });
      }
      if (result.outcome === 'refused' && result.status >= 500) {
        serverErrors++;
        fail({ seed: o.seed, index, route: 'GET /api/v1/ws', kinds, problem: 'server-error', status: result.status });
      }
      return;
    }
    httpCount++;
    const route = rng.pick(o.routes);
    const req = hostileRequest(rng, o.ctx, route);
    const ex = await exchange(host, port, req.raw, timeoutMs);
    if (ex.outcome === 'hang') {
      unanswered++;
      statuses['hang'] = (statuses['hang'] ?? 0) + 1;
      fail({ seed: o.seed, index, route: req.route, kinds: req.kinds, problem: 'unanswered', ms: ex.ms });
      return;
    }
    if (ex.outcome === 'closed') {
      statuses['closed'] = (statuses['closed'] ?? 0) + 1;
      if (req.wellFramed) {
        closed.well_formed++;
        fail({ seed: o.seed, index, route: req.route, kinds: req.kinds, problem: 'closed-without-answer', ms: ex.ms });
      } else closed.malformed_http++;
      return;
    }
    statuses[String(ex.status)] = (statuses[String(ex.status)] ?? 0) + 1;
    if (ex.status >= 500) {
      const code = errorCode(ex.body);
      if (allowed5xx(req.route, ex.status, ex.headers, code)) overload++;
      else {
        serverErrors++;
        fail({ seed: o.seed, index, route: req.route, kinds: req.kinds, problem: 'server-error', status: ex.status, code, ms: ex.ms });
      }
    }
  };

  const drive = (limit: () => boolean) =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (limit()) {
          const i = take();
          if (i === null) return;
          await one(i);
          done++;
          if (done % 250 === 0) o.onProgress?.(done);
        }
      }),
    );
  const warmup = indexes ? 0 : Math.min(o.warmup ?? Math.floor(o.count / 3), 1000, o.count);
  if (warmup > 0) {
    await drive(() => next < warmup);
    rssBefore = Math.max(peak, rssBytes(gatewayPid) ?? 0);
  }
  const heapBefore = await o.collect?.();
  if (heapBefore) rssBefore = rssBytes(gatewayPid) ?? rssBefore;
  await drive(() => true);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  // Without `collect`, let the last bodies be collected: V8 gives pages back after its next full GC,
  // which an idle process runs within seconds (its memory reducer). The lowest reading over up to
  // 12 s counts. With `collect`, the reading right after a forced full collection counts.
  const heapAfter = await o.collect?.();
  let rssAfter = rssBytes(gatewayPid) ?? 0;
  for (let t = 0; t < 24 && rssAfter > rssBefore && !heapAfter; t++) {
    await new Promise((r) => setTimeout(r, 500));
    rssAfter = Math.min(rssAfter, rssBytes(gatewayPid) ?? rssAfter);
  }
  const now = o.currentPids?.() ?? o.pids;
  const restarts = Object.fromEntries(Object.entries(o.pids).map(([role, pid]) => [role, !processAlive(pid) || now[role] !== pid]));
  const growth = (rssAfter - rssBefore) / MB;
  const errorLines = (o.logs?.() ?? '').split('\n').flatMap((line) => {
    try {
      const j = JSON.parse(line) as { level?: number | string; msg?: string; code?: string; role?: string; err?: { type?: string; stack?: string } };
      const severe = j.level === 'error' || j.level === 'fatal' || (typeof j.level === 'number' && j.level >= 50);
      // The first stack frame says where; the error's message is left out (it may quote input).
      const at = /\n\s+at (.+)/.exec(j.err?.stack ?? '')?.[1]?.replaceAll(REPO_ROOT, '');
      return severe ? [{ msg: j.msg, code: j.code ?? j.err?.type, role: j.role, ...(at ? { at } : {}) }] : [];
    } catch {
      return [];
    }
  });
  const report: FuzzReport = {
    seed: o.seed,
    requests: httpCount + wsCount,
    warmup_requests: warmup,
    http_requests: httpCount,
    ws_cases: wsCount,
    seconds: Math.round(seconds * 10) / 10,
    routes: o.routes.length + 1,
    statuses: Object.fromEntries(Object.entries(statuses).sort()),
    ws_outcomes: wsOutcomes,
    server_errors: serverErrors,
    overload_answers: overload,
    unanswered,
    closed_without_answer: closed,
    restarts,
    error_logs: { count: errorLines.length, first: [...new Map(errorLines.map((e) => [`${e.msg} ${e.at}`, e])).values()].slice(0, 8) },
    rss_mb: { start: Math.round(rssStart / MB), before: Math.round(rssBefore / MB), peak: Math.round(peak / MB), after: Math.round(rssAfter / MB), growth: Math.round(growth * 10) / 10 },
    ...(heapBefore && heapAfter
      ? { heap_mb: { before: Math.round(heapBefore.usedBytes / MB), after: Math.round(heapAfter.usedBytes / MB), growth: Math.round(((heapAfter.usedBytes - heapBefore.usedBytes) / MB) * 10) / 10 } }
      : {}),
    failures,
    failures_total: failuresTotal,
    ok: false,
  };
  report.ok = serverErrors === 0 && unanswered === 0 && closed.well_formed === 0 && !Object.values(restarts).some(Boolean) && growth < 50;
  return report;
}
