/**
 * Gateway-side calls that reach every engine rather than one: collecting `wc.engine.ping` replies
 * for a short window (engines answer individually), and broadcasting model load/unload. Also
 * rebuilds coded errors from engine replies with their `Retry-After` hint, which travels in
 * `details.retry_after` because only code, message and details cross NATS.
 */
import { type Msg, type NatsConnection } from '@nats-io/nats-core';
import type { z } from 'zod';
import { decodeJson, encodeJson, inboxFor } from '../../core/bus.js';
import { EngineInfoSchema, type Contract, type EngineInfo } from '../../core/contracts.js';
import { WardClerkError, errorFromJSON, isWardClerkError } from '../../core/errors.js';

export type EngineReply<T> = { ok: true; data: T } | { ok: false; error: WardClerkError };

/** A coded error from its JSON form, with `retryAfter` restored from `details.retry_after`. */
export function codedError(json: { code: string; message: string; details?: Record<string, unknown> }): WardClerkError {
  const e = errorFromJSON(json);
  const retry = e.details['retry_after'];
  if (typeof retry !== 'number') return e;
  return new WardClerkError(e.code, e.message, { details: e.details, retryAfter: retry });
}

/** Re-throws a bus error with its retry hint restored; other errors pass unchanged. */
export function withRetryAfter(e: unknown): unknown {
  return isWardClerkError(e) && typeof e.details['retry_after'] === 'number' ? codedError(e.toJSON()) : e;
}

const isNoResponders = (m: Msg) => m.data.length === 0 && m.headers?.code === 503;

/**
 * Publishes `payload` on `subject` with a private inbox and returns every reply that arrives within
 * `waitMs` (sooner once `maxReplies` have come). No engine → an empty list.
 */
export async function collectReplies(nc: NatsConnection, subject: string, payload: unknown, options: { waitMs: number; maxReplies?: number }): Promise<unknown[]> {
  const inbox = inboxFor(nc);
  const replies: unknown[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, options.waitMs);
    const sub = nc.subscribe(inbox, {
      callback: (err, m) => {
        if (err) return finish();
        if (isNoResponders(m)) return finish();
        try {
          replies.push(decodeJson(m.data));
        } catch {
          /* a malformed reply is ignored: it names no engine we could list */
        }
        if (options.maxReplies !== undefined && replies.length >= options.maxReplies) finish();
      },
    });
    function finish() {
      clearTimeout(timer);
      sub.unsubscribe();
      resolve();
    }
    nc.publish(subject, encodeJson(payload), { reply: inbox });
  });
  return replies;
}

function toReply<T>(raw: unknown, schema: z.ZodType<T>): EngineReply<T> | null {
  const r = raw as { ok?: boolean; data?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } };
  if (r?.ok === true) {
    const parsed = schema.safeParse(r.data);
    return parsed.success ? { ok: true, data: parsed.data } : null;
  }
  if (r?.ok === false && r.error) return { ok: false, error: codedError(r.error) };
  return null;
}

/** Every engine that answers `wc.engine.ping` within `waitMs`, sorted by engine id. */
export async function listEngines(nc: NatsConnection, waitMs = 300): Promise<EngineInfo[]> {
  const raw = await collectReplies(nc, 'wc.engine.ping', {}, { waitMs });
  const infos: EngineInfo[] = [];
  for (const r of raw) {
    const reply = toReply(r, EngineInfoSchema);
    if (reply?.ok) infos.push(reply.data);
  }
  return infos.sort((a, b) => a.engine_id.localeCompare(b.engine_id));
}

/**
 * Sends a request every engine answers (model load/unload) and returns each engine's reply.
 * Counts the engines with a ping first so it can stop as soon as all have answered; engines
 * that have not answered by `timeoutMs` are left out. No engine → ENGINE_UNAVAILABLE.
 */
export async function broadcast<C extends Contract>(nc: NatsConnection, c: C, payload: z.input<C['request']>, timeoutMs: number): Promise<Array<EngineReply<z.output<C['response']>>>> {
  const engines = await listEngines(nc);
  if (engines.length === 0) throw new WardClerkError('ENGINE_UNAVAILABLE', `No engine is answering ${c.subject}`, { details: { subject: c.subject } });
  const raw = await collectReplies(nc, c.subject, c.request.parse(payload), { waitMs: timeoutMs, maxReplies: engines.length });
  if (raw.length === 0) throw new WardClerkError('TIMEOUT', `No reply on ${c.subject} in time`, { details: { subject: c.subject } });
  return raw.map((r) => toReply(r, c.response as z.ZodType<z.output<C['response']>>) ?? { ok: false, error: new WardClerkError('INTERNAL', `Malformed reply on ${c.subject}`) });
}
