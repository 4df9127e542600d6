/**
 * Pipeline step for a doctor's note (issue 8). Payload: a NoteMessage (ids only). The worker reads
 * the note from the store (`wc.store.note.get`; text only while it is pending), asks an engine for
 * its plan items (`wc.engine.plan-items`), and settles it through the store
 * (`wc.store.note.settle`: the gateway creates the plan, supersedes the old one and plans the
 * reminders in one durable batch). Idempotent: a note no longer pending is acknowledged without
 * work, and the store settles a note at most once. Transient failures are retried with a delay;
 * on the last allowed delivery, or for a permanent coded error, the note is settled `failed`
 * (and dead-lettered when it ran out of attempts).
 */
import type { JsMsg } from '@nats-io/jetstream';
import { contracts, NoteMessageSchema, type NoteMessage } from '../core/contracts.js';
import type { WardClerkError } from '../core/errors.js';
import { isTransient, toCodedError } from './retry-policy.js';
import { sendDeadLetter } from './dead-letter.js';
import { parseMessage } from './parse-message.js';
import { stepRetryDelayMs, whileWorking, type PipelineStepDeps } from './pipeline-step.js';

/** What happened to the message; for logs and tests. */
export type NoteOutcome = 'settled' | 'already-done' | 'failed' | 'retry' | 'dead' | 'missing' | 'invalid';

/** Handles one delivery of a note message and settles it (ack, nak or term). Never throws for expected failures. */
export async function handleNoteMessage(msg: JsMsg, deps: PipelineStepDeps): Promise<NoteOutcome> {
  const ref = parseMessage(msg, NoteMessageSchema, deps.log);
  if (!ref) return 'invalid';
  const attempt = msg.info.deliveryCount;
  const last = attempt >= deps.settings.itemMaxDeliver;
  try {
    const note = await deps.bus.request(contracts.noteGet, ref);
    if (note.status !== 'pending') {
      msg.ack();
      return 'already-done';
    }
    const planned = await whileWorking(msg, deps.settings.itemAckWaitMs, () =>
      deps.bus.request(
        contracts.enginePlanItems,
        { tenant_id: ref.tenant_id, text: note.text, note_date: note.note_date, ...(note.ocr_confidence === null ? {} : { ocr_confidence: note.ocr_confidence }) },
        { timeoutMs: deps.settings.engineTimeoutMs },
      ),
    );
    await deps.bus.request(contracts.noteSettle, { ...ref, outcome: { ok: true, extraction: planned.extraction, items: planned.items } });
    msg.ack();
    deps.log.debug({ note_id: ref.note_id, attempt }, 'note settled');
    return 'settled';
  } catch (e) {
    const error = toCodedError(e);
    if (error.code === 'NOT_FOUND') {
      msg.term();
      deps.log.warn({ note_id: ref.note_id, code: error.code }, 'note not found');
      return 'missing';
    }
    if (isTransient(error) && !last) {
      msg.nak(stepRetryDelayMs(attempt, deps.settings.itemAckWaitMs));
      deps.log.warn({ note_id: ref.note_id, code: error.code, attempt }, 'note retry');
      return 'retry';
    }
    return settleFailure(msg, ref, error, isTransient(error), deps);
  }
}

async function settleFailure(msg: JsMsg, ref: NoteMessage, error: WardClerkError, exhausted: boolean, deps: PipelineStepDeps): Promise<NoteOutcome> {
  const attempt = msg.info.deliveryCount;
  try {
    await deps.bus.request(contracts.noteSettle, { ...ref, outcome: { ok: false, code: error.code, message: error.message.slice(0, 500) } });
    if (exhausted) {
      await sendDeadLetter(deps.bus, { kind: 'notes', tenant_id: ref.tenant_id, ref: ref.note_id, code: error.code, message: error.message, attempts: attempt, ids: { note_id: ref.note_id } });
    }
  } catch (e) {
    msg.nak(stepRetryDelayMs(attempt, deps.settings.itemAckWaitMs));
    deps.log.warn({ note_id: ref.note_id, code: error.code, record_code: toCodedError(e).code, attempt }, 'note failure not recorded; retrying');
    return 'retry';
  }
  msg.term();
  deps.log.warn({ note_id: ref.note_id, code: error.code, attempt }, exhausted ? 'note dead-lettered' : 'note failed');
  return exhausted ? 'dead' : 'failed';
}
