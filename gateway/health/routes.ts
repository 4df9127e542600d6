/** /healthz (process up), /readyz (NATS, store and at least one engine answering), /metrics (guarded: metrics-guard.ts). */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { contracts } from '../../core/contracts.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { metadata } from '../http/envelope.js';
import { guardMetrics } from './metrics-guard.js';
import { isDegraded, readSupervisorState } from './supervisor-state.js';

async function check(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await fn();
    return { ok: true };
  } catch (e) {
    return { ok: false, error: (e as { code?: string }).code ?? (e as Error).name };
  }
}

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  app.get('/healthz', (c) => c.json({ status: 'success', data: { status: 'ok' }, metadata: metadata(c) }));

  app.get('/readyz', async (c) => {
    const [nats, store, engine, supervised] = await Promise.all([
      check(async () => {
        if (deps.bus.nc.isClosed()) throw new Error('closed');
        await deps.bus.nc.flush();
      }),
      check(() => deps.store.tenants.list()),
      check(() => deps.bus.request(contracts.enginePing, {}, { timeoutMs: 1000 })),
      readSupervisorState(deps.config.dataDir),
    ]);
    const ready = nats.ok && store.ok && engine.ok;
    // Ready = this gateway can serve; degraded = a supervised process (e.g. the worker) is down.
    const data = {
      ready,
      degraded: isDegraded(supervised),
      checks: { nats, store, engine },
      ...(supervised ? { processes: supervised.processes } : {}),
    };
    if (ready) return c.json({ status: 'success', data, metadata: metadata(c) }, 200);
    return c.json({ status: 'error', error: { code: 'NOT_READY', message: 'Not ready', details: data }, metadata: metadata(c) }, 503);
  });

  app.get('/metrics', guardMetrics(deps.config.metricsToken), async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
}
