/**
 * Dead letters: work that ran out of attempts. Each is published to the WC_DEAD stream (ids and
 * codes only, deduplicated by a stable msgID) and recorded by the gateway so it shows in the job's
 * errors or the webhook's delivery log.
 */
import { contracts, deadSubject } from '../core/contracts.js';
import { encodeJson, type Bus } from '../core/bus.js';

export interface DeadLetter {
  /** 'items' or 'webhooks': the WC_DEAD subject suffix. */
  kind: 'items' | 'webhooks' | 'notes' | 'documents';
  tenant_id: string;
  /** Stable id of the dead work: `${job_id}.${index}` or the delivery id. */
  ref: string;
  code: string;
  /** Coded-error message: never PHI, never a URL or a body. */
  message: string;
  attempts: number;
  /** Other ids worth keeping (job_id, index, webhook_id, event_id). */
  ids?: Record<string, string | number>;
}

/** Publishes the dead letter to WC_DEAD and asks the gateway to record it. Idempotent. */
export async function sendDeadLetter(bus: Bus, letter: DeadLetter): Promise<void> {
  const record = { ...letter, at: new Date().toISOString() };
  await bus.js.publish(deadSubject(letter.kind), encodeJson(record), { msgID: `${letter.kind}.${letter.ref}` });
  await bus.request(contracts.deadLetter, {
    tenant_id: letter.tenant_id,
    kind: letter.kind,
    ref: letter.ref,
    code: letter.code,
    message: letter.message,
  });
}
