/**
 * Secure messages of a patient's conversations with their care team. Each record carries the body
 * only as sealed boxes (one per participant, to that user's X25519 key); the record itself is then
 * sealed with the patient's key like all patient data. Keys: `<patient id>:<message id>` (random ids).
 */
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from './group-commit.js';
import { PATIENT_ID_RE, patientSeal, tenantScope } from './patient-seal.js';
import { MAX_PAGE, type StoreContext } from './store-context.js';

export const MESSAGE_ID_RE = /^msg_[0-9A-HJKMNP-TV-Z]{26}$/;

export const MessageCopySchema = z.object({
  user_id: z.string().min(1),
  /** The key_version of the user's keypair the box was sealed to. */
  key_version: z.number().int().min(1),
  /** base64 crypto_box_seal of the body; only that user's private key opens it. */
  sealed_box: z.string().min(1),
});

export const MessageRecordSchema = z.object({
  message_id: z.string().regex(MESSAGE_ID_RE),
  tenant_id: z.string().min(1),
  patient_id: z.string().regex(PATIENT_ID_RE),
  sender_id: z.string().min(1),
  recipient_id: z.string().min(1),
  created_at: z.iso.datetime({ offset: true }),
  /** The recipient's copy and the sender's own. */
  copies: z.array(MessageCopySchema).min(1).max(2),
});
export type MessageRecord = z.infer<typeof MessageRecordSchema>;

export class MessagesRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * The operation that stores `record` sealed with its patient's key (commit it with the event's
   * outbox op). NOT_FOUND (resource `patient`) when the patient has no key (never created, shredded).
   */
  async prepare(record: MessageRecord): Promise<RawOp> {
    const rec = MessageRecordSchema.parse(record);
    const scope = await tenantScope(this.#ctx, rec.tenant_id);
    const seal = await patientSeal(this.#ctx, scope, rec.tenant_id, rec.patient_id);
    if (!seal) throw new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
    return this.#ctx.vault.put(scope.tables.messages, `${rec.patient_id}:${rec.message_id}`, rec, seal);
  }

  /** Stores `record` durably with `extra` operations (the event's outbox entry) in one synced batch. */
  async create(record: MessageRecord, extra: RawOp[] = []): Promise<void> {
    await this.#ctx.writer.write([await this.prepare(record), ...extra]);
  }

  /**
   * The patient's messages that `userId` sent or received, oldest first, after `cursor` (a message
   * id); at most `limit` (1..100) and a cursor for the next page.
   */
  async listFor(tenantId: string, patientId: string, userId: string, query: { cursor?: string; limit: number }): Promise<{ items: MessageRecord[]; next_cursor: string | null }> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !PATIENT_ID_RE.test(patientId)) return { items: [], next_cursor: null };
    if (query.cursor !== undefined && !MESSAGE_ID_RE.test(query.cursor)) {
      throw new WardClerkError('VALIDATION_FAILED', 'cursor is not one this API returned', { details: { field: 'cursor' } });
    }
    const limit = Math.min(Math.max(1, query.limit), MAX_PAGE);
    const lower = query.cursor !== undefined ? `${patientId}:${query.cursor}` : `${patientId}:`;
    const items: MessageRecord[] = [];
    for await (const [key, bytes] of tables.messages.sub.iterator({ gt: lower, lt: `${patientId};` })) {
      const rec = await this.#ctx.vault.decode(tables.messages.fullKey(key), bytes, tenantId, MessageRecordSchema);
      if (!rec || (rec.sender_id !== userId && rec.recipient_id !== userId)) continue;
      if (items.push(rec) > limit) break;
    }
    if (items.length <= limit) return { items, next_cursor: null };
    items.length = limit;
    return { items, next_cursor: items[limit - 1]!.message_id };
  }
}
