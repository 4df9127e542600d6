/**
 * POST /api/v1/generate: text generation on a loaded model, for a tenant's API client. With
 * `Accept: text/event-stream` the tokens arrive as server-sent events (`token`, then one `done` or
 * `error`); otherwise the whole result comes back as JSON. Errors that happen before the first
 * token (no model loaded, queue full → 503 with Retry-After, no engine) are ordinary HTTP errors,
 * because the first frame is awaited before the response is committed. A client that disconnects
 * cancels the generation on the engine. Prompts and outputs are never logged.
 */
import { randomUUID } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { ChatMessageSchema, GenerateRequestSchema, GenerateResultSchema } from '../../core/contracts.js';
import { WardClerkError, isWardClerkError } from '../../core/errors.js';
import { requireAuth, requireClient } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from '../http/json-depth.js';
import { scrubPaths } from '../http/scrub-paths.js';
import { generateStream, type DoneFrame } from './generate-stream.js';

const GenerateBody = z
  .object({
    model: z.string().min(1).max(128).optional().openapi({ description: 'A loaded model id; default the first model loaded on the engine' }),
    messages: z.array(ChatMessageSchema).min(1).max(200),
    json_schema: z
      .record(z.string(), z.unknown())
      // The body scanner already refuses deeper JSON; this guards any other way in.
      .refine((v) => !exceedsJsonDepth(v, MAX_JSON_DEPTH - 1), { message: `Nested deeper than ${MAX_JSON_DEPTH - 1} levels` })
      .optional()
      .openapi({ description: `Constrain the output to JSON matching this schema (at most ${MAX_JSON_DEPTH - 1} levels deep)` }),
    max_tokens: z.number().int().min(1).max(8192),
    temperature: z.number().min(0).max(2).optional(),
  })
  .openapi('GenerateInput');

const GenerateResult = GenerateResultSchema;

function result(done: DoneFrame) {
  const { type: _type, ...rest } = done;
  return rest;
}

export function registerGenerateRoutes(app: OpenAPIHono<AppEnv>, deps: Pick<GatewayDeps, 'bus' | 'tokens' | 'config'>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/generate',
      summary: 'Generate text (or schema-constrained JSON) on a loaded model; SSE with Accept: text/event-stream',
      security: [{ bearerAuth: [] }],
      middleware: [requireAuth(deps.tokens), requireClient()] as const,
      request: { body: { required: true, content: { 'application/json': { schema: GenerateBody } } } },
      responses: {
        200: {
          description: 'The generated result (JSON), or an event stream of `token`, `done` and `error` events',
          content: { 'application/json': { schema: successEnvelope(GenerateResult) }, 'text/event-stream': { schema: z.string() } },
        },
        ...errorResponses(400, 401, 403, 404, 502, 503, 504),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const request = GenerateRequestSchema.parse({
        request_id: randomUUID().replaceAll('-', ''),
        ...(body.model ? { model_id: body.model } : {}),
        messages: body.messages,
        max_tokens: body.max_tokens,
        ...(body.json_schema ? { json_schema: body.json_schema } : {}),
        ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
      });
      const disconnect = new AbortController();
      const clientSignal = c.req.raw.signal;
      const signal = AbortSignal.any([clientSignal, disconnect.signal]);
      const frames = generateStream(deps.bus.nc, request, { signal, idleTimeoutMs: deps.config.engineTimeoutMs });
      // Await the first frame so queue-full / no-model errors get their own HTTP status.
      const first = await frames.next();
      if (first.done) throw new WardClerkError('INTERNAL', 'The generation ended without a result');

      if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
        let frame = first.value;
        while (frame.type !== 'done') {
          const next = await frames.next();
          if (next.done) throw new WardClerkError('INTERNAL', 'The generation ended without a result');
          frame = next.value;
        }
        return ok(c, result(frame));
      }

      return streamSSE(c, async (stream) => {
        stream.onAbort(() => disconnect.abort());
        try {
          let next: IteratorResult<typeof first.value> = first;
          while (!next.done && !stream.aborted) {
            const frame = next.value;
            if (frame.type === 'token') await stream.writeSSE({ event: 'token', data: JSON.stringify({ text: frame.text }) });
            else await stream.writeSSE({ event: 'done', data: JSON.stringify(result(frame)) });
            next = await frames.next();
          }
        } catch (e) {
          const coded = isWardClerkError(e) ? e : new WardClerkError('INTERNAL', 'Internal error');
          const error = { ...coded.toJSON(), message: scrubPaths(coded.message) };
          if (!stream.aborted) await stream.writeSSE({ event: 'error', data: JSON.stringify(error) });
        } finally {
          await frames.return(undefined);
        }
      }) as unknown as ReturnType<typeof ok>;
    },
  );
}
