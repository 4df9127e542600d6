/**
 * The gateway's side of `wc.engine.generate`: publishes the request with a private inbox and
 * yields the engine's frames (tokens, then `done`). An `error` frame becomes a thrown coded error
 * (OVERLOADED keeps its retry hint). When the caller's signal aborts, or the consumer stops
 * iterating before `done`, a cancel goes to `wc.engine.cancel.<request_id>` so the engine stops.
 * No engine → ENGINE_UNAVAILABLE; silence longer than `idleTimeoutMs` → TIMEOUT (and a cancel).
 */
import { createInbox, type Msg, type NatsConnection } from '@nats-io/nats-core';
import { decodeJson, encodeJson } from '../../core/bus.js';
import { GENERATE_INBOX_PREFIX, GENERATE_SUBJECT, GenerateFrameSchema, cancelSubject, type GenerateFrame, type GenerateRequest } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import { codedError } from '../engines/engine-calls.js';

export type DoneFrame = Extract<GenerateFrame, { type: 'done' }>;
export type StreamFrame = Extract<GenerateFrame, { type: 'token' }> | DoneFrame;

export interface GenerateStreamOptions {
  signal?: AbortSignal;
  /** Longest wait for any frame (the first one includes time queued on the model). */
  idleTimeoutMs: number;
}

type Event = { kind: 'msg'; msg: Msg } | { kind: 'abort' } | { kind: 'timeout' };

export async function* generateStream(nc: NatsConnection, request: GenerateRequest, options: GenerateStreamOptions): AsyncGenerator<StreamFrame> {
  const inbox = createInbox(GENERATE_INBOX_PREFIX);
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (e: Event) => {
    events.push(e);
    const w = wake;
    wake = null;
    w?.();
  };
  const sub = nc.subscribe(inbox, { callback: (_err, msg) => push({ kind: 'msg', msg }) });
  const onAbort = () => push({ kind: 'abort' });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => push({ kind: 'timeout' }), options.idleTimeoutMs);
  };
  try {
    if (options.signal?.aborted) throw new WardClerkError('CANCELLED', 'request cancelled');
    nc.publish(GENERATE_SUBJECT, encodeJson(request), { reply: inbox });
    arm();
    for (;;) {
      if (events.length === 0) await new Promise<void>((r) => { wake = r; });
      const ev = events.shift()!;
      if (ev.kind === 'abort') throw new WardClerkError('CANCELLED', 'request cancelled');
      if (ev.kind === 'timeout') throw new WardClerkError('TIMEOUT', 'The engine stopped answering', { details: { subject: GENERATE_SUBJECT } });
      if (ev.msg.data.length === 0 && ev.msg.headers?.code === 503) {
        finished = true; // nobody received it, so there is nothing to cancel
        throw new WardClerkError('ENGINE_UNAVAILABLE', `No engine is answering ${GENERATE_SUBJECT}`, { details: { subject: GENERATE_SUBJECT } });
      }
      arm();
      const parsed = GenerateFrameSchema.safeParse(decodeJson(ev.msg.data));
      if (!parsed.success) throw new WardClerkError('INTERNAL', `Malformed frame on ${GENERATE_SUBJECT}`);
      const frame = parsed.data;
      if (frame.type === 'error') {
        finished = true;
        throw codedError(frame.error);
      }
      if (frame.type === 'done') finished = true;
      yield frame;
      if (frame.type === 'done') return;
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    sub.unsubscribe();
    if (!finished && !nc.isClosed()) nc.publish(cancelSubject(request.request_id));
  }
}
