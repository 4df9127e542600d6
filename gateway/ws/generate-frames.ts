/**
 * Text generation over the WebSocket hub. After `ready`, a tenant client may send
 * `{"type":"generate","id":"<its id>","messages":[…],"max_tokens":N,"temperature"?,"json_schema"?,"model"?}`;
 * the hub answers with `{"type":"token","id","text"}` frames, then exactly one
 * `{"type":"done","id",model_id,text,json?,finish_reason,usage,tokens_per_s}` or
 * `{"type":"error","id","error":{code,message,details}}`. `{"type":"cancel","id"}` stops that
 * generation (its last frame is an error with code CANCELLED); closing the socket stops them all.
 * Both go through the AbortSignal given to generateStream, which publishes the engine cancel.
 * At most `maxPerSocket` generations run per socket; one more is refused with OVERLOADED.
 * Prompts and outputs are never logged: only ids and codes.
 */
import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { GenerateRequestSchema, type GenerateRequest } from '../../core/contracts.js';
import { WardClerkError, isWardClerkError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { generateStream } from '../generate/generate-stream.js';
import type { Principal } from '../http/app-env.js';

export const DEFAULT_MAX_GENERATIONS_PER_SOCKET = 4;

const FrameId = z.string().min(1).max(128);

/** The client's generate frame: the HTTP body's fields (same limits as GenerateRequest) plus its id. */
export const WsGenerateFrameSchema = GenerateRequestSchema.omit({ request_id: true, model_id: true }).extend({
  type: z.literal('generate'),
  id: FrameId,
  model: z.string().min(1).max(128).optional(),
});
const WsCancelFrameSchema = z.object({ type: z.literal('cancel'), id: FrameId });

export interface WsGenerateDeps {
  nc: NatsConnection;
  log: Logger;
  /** Longest wait for any engine frame (config.engineTimeoutMs, as for the HTTP route). */
  idleTimeoutMs: number;
  maxPerSocket?: number;
}

export interface WsGenerations {
  /**
   * Handles one parsed client frame. Returns false when its `type` is not a generation frame
   * (the hub then answers it); frames of a generation type are always answered here.
   */
  handle(frame: unknown): boolean;
  /** Generations running on this socket. */
  size(): number;
  /** Aborts every generation of this socket (called when it closes). */
  abortAll(): void;
}

type ErrorJson = ReturnType<WardClerkError['toJSON']>;

/**
 * Binds generation to one authenticated socket. Only tenant client principals may generate, as on
 * POST /api/v1/generate (requireClient, no scope); any other principal gets FORBIDDEN frames.
 */
export function bindGenerations(ws: WebSocket, principal: Principal, deps: WsGenerateDeps): WsGenerations {
  const limit = deps.maxPerSocket ?? DEFAULT_MAX_GENERATIONS_PER_SOCKET;
  const running = new Map<string, AbortController>();
  const send = (frame: Record<string, unknown>) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const sendError = (id: string | null, error: ErrorJson) => send({ type: 'error', id, error });

  const run = async (id: string, request: GenerateRequest, controller: AbortController) => {
    try {
      for await (const frame of generateStream(deps.nc, request, { signal: controller.signal, idleTimeoutMs: deps.idleTimeoutMs })) {
        if (frame.type === 'token') send({ type: 'token', id, text: frame.text });
        else {
          const { type: _type, ...result } = frame;
          send({ type: 'done', id, ...result });
        }
      }
    } catch (e) {
      const coded = isWardClerkError(e) ? e : new WardClerkError('INTERNAL', 'Internal error');
      if (!isWardClerkError(e)) deps.log.error({ err: { type: (e as Error)?.name, stack: (e as Error)?.stack }, request_id: request.request_id }, 'ws generation failed');
      sendError(id, coded.toJSON());
    } finally {
      running.delete(id);
    }
  };

  const start = (raw: Record<string, unknown>) => {
    const rawId = FrameId.safeParse(raw['id']);
    const id = rawId.success ? rawId.data : null;
    if (principal.kind !== 'client') {
      sendError(id, new WardClerkError('FORBIDDEN', 'Generation is for API clients of a tenant').toJSON());
      return;
    }
    const parsed = WsGenerateFrameSchema.safeParse(raw);
    if (!parsed.success) {
      // Paths and codes only: the issues' messages could echo prompt text.
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), code: i.code }));
      sendError(id, new WardClerkError('VALIDATION_FAILED', 'Invalid generate frame', { details: { issues } }).toJSON());
      return;
    }
    const f = parsed.data;
    if (running.has(f.id)) {
      sendError(f.id, new WardClerkError('CONFLICT', 'A generation with this id is already running on this socket').toJSON());
      return;
    }
    if (running.size >= limit) {
      sendError(f.id, new WardClerkError('OVERLOADED', 'Too many generations on this socket', { details: { limit } }).toJSON());
      return;
    }
    const request = GenerateRequestSchema.parse({
      request_id: randomUUID().replaceAll('-', ''),
      ...(f.model ? { model_id: f.model } : {}),
      messages: f.messages,
      max_tokens: f.max_tokens,
      ...(f.json_schema ? { json_schema: f.json_schema } : {}),
      ...(f.temperature !== undefined ? { temperature: f.temperature } : {}),
    });
    const controller = new AbortController();
    running.set(f.id, controller);
    deps.log.debug({ request_id: request.request_id, tenant_id: principal.tenantId }, 'ws generation started');
    void run(f.id, request, controller);
  };

  return {
    handle(frame) {
      if (typeof frame !== 'object' || frame === null) return false;
      const raw = frame as Record<string, unknown>;
      if (raw['type'] === 'generate') {
        start(raw);
        return true;
      }
      if (raw['type'] === 'cancel') {
        const c = WsCancelFrameSchema.safeParse(raw);
        if (!c.success) sendError(null, new WardClerkError('VALIDATION_FAILED', 'Invalid cancel frame').toJSON());
        // An unknown id is ignored: the generation may have finished while the cancel was in flight.
        else running.get(c.data.id)?.abort();
        return true;
      }
      return false;
    },
    size: () => running.size,
    abortAll() {
      for (const c of running.values()) c.abort();
    },
  };
}
