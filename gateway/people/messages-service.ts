/**
 * Secure messages between a patient and a doctor or nurse on their care team. The body is sealed
 * to the recipient's X25519 key and to the sender's own (so the sender can read their sent copy),
 * then stored sealed with the patient's key. Reading opens the reader's copy with the private key
 * their live session holds in memory. A copy sealed to an older keypair (an admin password reset
 * replaces it) comes back `{readable: false, reason: 'key_reset'}`: that message is gone for good.
 */
import { newId, idTime } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import type { MessageRecord } from '../store/messages-repo.js';
import { pageLimit } from '../store/patients-repo.js';
import type { UserRecord } from '../store/user-records.js';
import { careTeamOf, loadPatientFor } from './access.js';
import { openAsUser, publicKeyBytes, sealToUser } from './messages-crypto.js';

/** Where a session's unsealed private key is found (gateway/auth/session-keys.ts SessionKeys). */
export interface SessionKeyLookup {
  get(sid: string): { userId: string; privateKey: Uint8Array } | null;
}

export type MessagesDeps = Pick<GatewayDeps, 'store' | 'events'> & { sessionKeys: SessionKeyLookup };

/** Longest message body, in characters. */
export const MAX_MESSAGE_CHARS = 10_000;

/** Why a message cannot be shown: sealed to a replaced keypair, or no unsealed key in this session. */
export type UnreadableReason = 'key_reset' | 'session_locked';

export interface MessageView {
  message_id: string;
  patient_id: string;
  sender_id: string;
  recipient_id: string;
  created_at: string;
  readable: boolean;
  text?: string;
  reason?: UnreadableReason;
}

type Person = Extract<Principal, { kind: 'user' }>;

/** Only the patient themself and their doctors and nurses take part in conversations. */
function participant(principal: Principal): Person {
  if (principal.kind !== 'user' || principal.role === 'tenant_admin') {
    throw new WardClerkError('FORBIDDEN', 'Secure messages are between a patient and their care team', { details: { allowed_roles: ['patient', 'doctor', 'nurse'] } });
  }
  return principal;
}

function activeUser(u: UserRecord | null): UserRecord {
  if (!u || u.status !== 'active') throw new WardClerkError('NOT_FOUND', 'No such recipient', { details: { resource: 'user' } });
  return u;
}

/**
 * Sends a message about patient `patientId`. A patient names a `recipient_id` on their care team;
 * a doctor or nurse writes to the patient (who must have an account: CONFLICT reason `no_account`).
 * NOT_FOUND as loadPatientFor; VALIDATION_FAILED for an empty or too long text. Publishes
 * `message.received` (ids only) to the recipient, committed with the message.
 */
export async function sendMessage(deps: MessagesDeps, principal: Principal, patientId: string, input: { text: string; recipient_id?: string }): Promise<MessageView> {
  const me = participant(principal);
  const patient = await loadPatientFor(deps, principal, patientId);
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (text.length === 0 || text.length > MAX_MESSAGE_CHARS) {
    throw new WardClerkError('VALIDATION_FAILED', `text must be 1 to ${MAX_MESSAGE_CHARS} characters`, { details: { field: 'text' } });
  }
  let recipientId: string;
  if (me.role === 'patient') {
    if (!input.recipient_id || !(await careTeamOf(deps, me.tenantId, patient.patient_id)).includes(input.recipient_id)) {
      throw new WardClerkError('VALIDATION_FAILED', 'recipient_id must name a doctor or nurse on your care team', { details: { field: 'recipient_id' } });
    }
    recipientId = input.recipient_id;
  } else {
    if (patient.user_id === null) throw new WardClerkError('CONFLICT', 'This patient has no account to receive messages', { details: { reason: 'no_account' } });
    if (input.recipient_id !== undefined && input.recipient_id !== patient.user_id) {
      throw new WardClerkError('VALIDATION_FAILED', "Care-team messages go to the patient's own account", { details: { field: 'recipient_id' } });
    }
    recipientId = patient.user_id;
  }
  const recipient = activeUser(await deps.store.users.get(me.tenantId, recipientId));
  const sender = activeUser(await deps.store.users.get(me.tenantId, me.sub));
  const copies = [recipient, sender].map((u) => {
    const key = publicKeyBytes(u.public_key);
    if (!key) throw new WardClerkError('INTERNAL', 'A user record holds a malformed public key', { details: { reason: 'bad_public_key' } });
    return { user_id: u.user_id, key_version: u.key_version, sealed_box: sealToUser(text, key) };
  });
  const id = newId('msg');
  const record: MessageRecord = {
    message_id: id, tenant_id: me.tenantId, patient_id: patient.patient_id, sender_id: me.sub, recipient_id: recipientId,
    created_at: new Date(idTime(id)!).toISOString(), copies,
  };
  const staged = deps.events.stage(me.tenantId, 'message.received', { message_id: id, patient_id: patient.patient_id }, undefined, [recipientId]);
  await deps.store.messages.create(record, [staged.op]);
  deps.events.release(staged.event);
  return { ...header(record), readable: true, text };
}

/**
 * The caller's messages about patient `patientId` (sent and received), oldest first. Each is
 * opened with the caller's session key; see {@link UnreadableReason} for those that cannot be.
 */
export async function listMessages(deps: MessagesDeps, principal: Principal, patientId: string, query: { cursor?: string; limit?: number } = {}): Promise<{ items: MessageView[]; next_cursor: string | null }> {
  const me = participant(principal);
  const patient = await loadPatientFor(deps, principal, patientId);
  const limit = pageLimit(query.limit);
  const page = await deps.store.messages.listFor(me.tenantId, patient.patient_id, me.sub, { cursor: query.cursor, limit });
  const user = activeUser(await deps.store.users.get(me.tenantId, me.sub));
  const session = deps.sessionKeys.get(me.sid);
  const privateKey = session && session.userId === me.sub ? session.privateKey : null;
  const publicKey = publicKeyBytes(user.public_key);
  const items = page.items.map((m): MessageView => {
    const copy = m.copies.find((c) => c.user_id === me.sub);
    if (!copy || copy.key_version !== user.key_version || !publicKey) return { ...header(m), readable: false, reason: 'key_reset' };
    if (!privateKey) return { ...header(m), readable: false, reason: 'session_locked' };
    const text = openAsUser(copy.sealed_box, publicKey, privateKey);
    return text === null ? { ...header(m), readable: false, reason: 'key_reset' } : { ...header(m), readable: true, text };
  });
  return { items, next_cursor: page.next_cursor };
}

function header(m: MessageRecord) {
  return { message_id: m.message_id, patient_id: m.patient_id, sender_id: m.sender_id, recipient_id: m.recipient_id, created_at: m.created_at };
}
