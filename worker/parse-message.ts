/**
 * Checks a JetStream message's payload against its schema. A payload that fails is terminated:
 * no retry can make it valid, and it must not block the queue. Only ids are logged.
 */
import type { JsMsg } from '@nats-io/jetstream';
import type { z } from 'zod';
import type { Logger } from '../core/logger.js';

/** The checked payload, or null after terminating the message. */
export function parseMessage<S extends z.ZodTypeAny>(msg: JsMsg, schema: S, log: Logger): z.output<S> | null {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(msg.data));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data as z.output<S>;
  // No reason argument anywhere: nats-server 2.9 does not recognise `+TERM <reason>` and would
  // silently ignore the term, redelivering the message.
  msg.term();
  log.error({ subject: msg.subject, seq: msg.seq }, 'invalid message payload terminated');
  return null;
}
