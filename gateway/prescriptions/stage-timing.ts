/**
 * Per-stage timings of the synchronous prescription path, observed into the
 * `wardclerk_request_stage_seconds{stage}` histogram of /metrics, so an operator (and the latency
 * bench) can see where a request's time goes. Labels are the fixed stage names only.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayMetrics } from '../metrics.js';

export type Stage = 'auth' | 'body' | 'engine' | 'store' | 'event';

/** Seconds since `started` (a performance.now() value), observed for `stage`. */
export function observeStage(metrics: GatewayMetrics, stage: Stage, started: number): void {
  metrics.requestStages.observe({ stage }, (performance.now() - started) / 1000);
}

/**
 * Wraps a middleware so the time it spends before handing on (or before it throws) is observed
 * as `stage`; what runs after it is not counted.
 */
export function timedMiddleware(metrics: GatewayMetrics, stage: Stage, mw: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    let observed = false;
    const observe = () => {
      if (!observed) observeStage(metrics, stage, started);
      observed = true;
    };
    try {
      return await mw(c, async () => {
        observe();
        await next();
      });
    } finally {
      observe();
    }
  };
}
