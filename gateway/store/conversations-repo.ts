/**
 * Chat conversations about a patient (issue 9), sealed with the patient's key like all patient
 * data. A conversation belongs to the user who started it (the patient, or one doctor: a doctor's
 * thread about a patient is theirs alone). Keys: `<patient id>:<conversation id>` (random ids).
 */
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';
import { PATIENT_ID_RE, patientSeal, tenantScope } from './patient-seal.js';
import { MAX_PAGE, type StoreContext } from './store-context.js';

export const CONVERSATION_ID_RE = /^cnv_[0-9A-HJKMNP-TV-Z]{26}$/;
/** Turns kept in one conversation; the oldest leave first. */
export const MAX_TURNS = 200;

export const ConversationTurnSchema = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  at: z.iso.datetime({ offset: true }),
  /** Assistant turns: the sources cited, as the answer gave them. */
  sources: z.array(z.record(z.string(), z.unknown())).optional(),
  requires_doctor_consultation: z.boolean().optional(),
});

export const ConversationRecordSchema = z.object({
  conversation_id: z.string().regex(CONVERSATION_ID_RE),
  tenant_id: z.string().min(1),
  patient_id: z.string().regex(PATIENT_ID_RE),
  owner_id: z.string().min(1),
  mode: z.enum(['patient', 'doctor']),
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }),
  turns: z.array(ConversationTurnSchema).max(MAX_TURNS),
});
export type ConversationRecord = z.infer<typeof ConversationRecordSchema>;

export class ConversationsRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores (creates or replaces) `record` durably. NOT_FOUND (resource `patient`) when the patient has no key. */
  async put(record: ConversationRecord): Promise<void> {
    const rec = ConversationRecordSchema.parse({ ...record, turns: record.turns.slice(-MAX_TURNS) });
    const scope = await tenantScope(this.#ctx, rec.tenant_id);
    const seal = await patientSeal(this.#ctx, scope, rec.tenant_id, rec.patient_id);
    if (!seal) throw new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
    await this.#ctx.writer.write([this.#ctx.vault.put(scope.tables.conversations, `${rec.patient_id}:${rec.conversation_id}`, rec, seal)]);
  }

  /** The conversation, or null when absent, shredded or of another patient. */
  async get(tenantId: string, patientId: string, conversationId: string): Promise<ConversationRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !PATIENT_ID_RE.test(patientId) || !CONVERSATION_ID_RE.test(conversationId)) return null;
    return this.#ctx.vault.get(tables.conversations, `${patientId}:${conversationId}`, tenantId, ConversationRecordSchema);
  }

  /** The patient's conversations owned by `ownerId`, oldest first, after `cursor`; at most `limit` (1..100). */
  async listFor(tenantId: string, patientId: string, ownerId: string, query: { cursor?: string; limit: number }): Promise<{ items: ConversationRecord[]; next_cursor: string | null }> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !PATIENT_ID_RE.test(patientId)) return { items: [], next_cursor: null };
    if (query.cursor !== undefined && !CONVERSATION_ID_RE.test(query.cursor)) {
      throw new WardClerkError('VALIDATION_FAILED', 'cursor is not one this API returned', { details: { field: 'cursor' } });
    }
    const limit = Math.min(Math.max(1, query.limit), MAX_PAGE);
    const lower = query.cursor !== undefined ? `${patientId}:${query.cursor}` : `${patientId}:`;
    const items: ConversationRecord[] = [];
    for await (const [key, bytes] of tables.conversations.sub.iterator({ gt: lower, lt: `${patientId};` })) {
      const rec = await this.#ctx.vault.decode(tables.conversations.fullKey(key), bytes, tenantId, ConversationRecordSchema);
      if (!rec || rec.owner_id !== ownerId) continue;
      if (items.push(rec) > limit) break;
    }
    if (items.length <= limit) return { items, next_cursor: null };
    items.length = limit;
    return { items, next_cursor: items[limit - 1]!.conversation_id };
  }

  /** Deletes the conversation durably (nothing when absent). */
  async delete(tenantId: string, patientId: string, conversationId: string): Promise<void> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !PATIENT_ID_RE.test(patientId) || !CONVERSATION_ID_RE.test(conversationId)) return;
    await this.#ctx.writer.write([{ type: 'del', key: tables.conversations.fullKey(`${patientId}:${conversationId}`) }]);
  }
}
