/**
 * Operator routes over the inference engines: list every engine (device, loaded models, queue
 * depth, tokens/s) and load or unload a manifest model on every engine. A load that fails on every
 * engine answers that engine's coded error (e.g. 422 MODEL_CHECKSUM_MISMATCH, 404 MODEL_NOT_FOUND).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { contracts, LoadedModelSchema } from '../../core/contracts.js';
import { requireAuth, requireOperator } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { scrubPaths } from '../http/scrub-paths.js';
import { broadcast, listEngines } from './engine-calls.js';

/** How long the engines list waits for ping replies. */
export const ENGINE_LIST_WAIT_MS = 300;

const EngineView = z
  .object({
    engine_id: z.string(),
    hostname: z.string(),
    device: z.string(),
    started_at: z.string(),
    extractors: z.array(z.string()),
    models: z.array(z.record(z.string(), z.unknown())),
    queue_depth: z.number(),
    tokens_per_s: z.number().nullable(),
    capabilities: z.record(z.string(), z.unknown()),
  })
  .openapi('Engine');

const ModelParams = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' } }) });
const EngineResult = z.object({ ok: z.boolean(), model: LoadedModelSchema.optional(), unloaded: z.boolean().optional(), error: z.object({ code: z.string(), message: z.string() }).optional() });
const ModelActionResult = z.object({ model_id: z.string(), engines: z.array(EngineResult) }).openapi('ModelActionResult');

const security = [{ bearerAuth: [] }];

function modelRoute(action: 'load' | 'unload', tokens: GatewayDeps['tokens']) {
  return createRoute({
    method: 'post',
    path: `/api/v1/admin/models/{id}/${action}`,
    tags: ['admin'],
    summary: action === 'load' ? 'Load a manifest model on every engine (checksum verified first)' : 'Unload a model from every engine',
    security,
    middleware: [requireAuth(tokens), requireOperator()] as const,
    request: { params: ModelParams },
    responses: {
      200: { description: 'Per-engine results', content: { 'application/json': { schema: successEnvelope(ModelActionResult) } } },
      ...errorResponses(401, 403, 404, 422, 503, 504),
    },
  });
}

export function registerEngineRoutes(app: OpenAPIHono<AppEnv>, deps: Pick<GatewayDeps, 'bus' | 'tokens' | 'config'>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/engines',
      tags: ['admin'],
      summary: 'Every inference engine that answers within 300 ms, with device, loaded models, queue depth and tokens/s',
      security,
      middleware: [requireAuth(deps.tokens), requireOperator()] as const,
      responses: {
        200: { description: 'Engines', content: { 'application/json': { schema: successEnvelope(z.object({ items: z.array(EngineView) })) } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const engines = await listEngines(deps.bus.nc, ENGINE_LIST_WAIT_MS);
      const items = engines.map((e) => ({
        engine_id: e.engine_id,
        hostname: e.hostname,
        device: e.device,
        started_at: e.started_at,
        extractors: e.extractors,
        models: e.models,
        queue_depth: e.queue_depth,
        tokens_per_s: typeof e.capabilities['tokens_per_s'] === 'number' ? (e.capabilities['tokens_per_s'] as number) : null,
        capabilities: e.capabilities,
      }));
      return ok(c, { items });
    },
  );

  app.openapi(modelRoute('load', deps.tokens), async (c) => {
    const model_id = c.req.valid('param').id;
    const replies = await broadcast(deps.bus.nc, contracts.engineModelsLoad, { model_id }, deps.config.engineTimeoutMs);
    if (!replies.some((r) => r.ok)) throw replies.find((r) => !r.ok)!.error;
    const engines = replies.map((r) => (r.ok ? { ok: true, model: r.data } : { ok: false, error: { code: r.error.code, message: scrubPaths(r.error.message) } }));
    return ok(c, { model_id, engines });
  });

  app.openapi(modelRoute('unload', deps.tokens), async (c) => {
    const model_id = c.req.valid('param').id;
    const replies = await broadcast(deps.bus.nc, contracts.engineModelsUnload, { model_id }, deps.config.engineTimeoutMs);
    if (!replies.some((r) => r.ok)) throw replies.find((r) => !r.ok)!.error;
    const engines = replies.map((r) => (r.ok ? { ok: true, unloaded: r.data.unloaded } : { ok: false, error: { code: r.error.code, message: scrubPaths(r.error.message) } }));
    return ok(c, { model_id, engines });
  });
}
