/**
 * One chat turn about one patient (issue 9): the access check (people/access.ts: an unassigned
 * doctor gets 404 as for a missing patient), the mode from the caller (the patient's own account:
 * patient mode; an assigned doctor: doctor mode; anyone else 403), then for a patient the safety
 * triage before anything else — a referral is answered at once with its fixed text and a
 * `chat.referral` event to the care team (ids, reason and urgency only) — and otherwise retrieval
 * from the patient's own index and the extractive answerer; a short follow-up in a conversation
 * is asked together with the earlier question it follows (follow-up-query.ts). The question and
 * the answer are stored as two turns of the caller's own conversation, sealed with the patient
 * key. A doctor's answer carries the patient summary stats (summary-stats.ts). Messages are never
 * logged.
 */
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { extractiveAnswer } from '../../engine/chat/answer/extractive-answer.js';
import { followUpQuery } from '../../engine/chat/answer/follow-up-query.js';
import { type ChatAnswer, type ChatMode, withCitations } from '../../engine/chat/answer/chat-answer.js';
import { type Referral, triagePatientMessage } from '../../engine/chat/triage/referral.js';
import { prepareQuery } from '../../engine/retrieval/prepare-query.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { careTeamOf, loadPatientFor } from '../people/access.js';
import type { ConversationRecord } from '../store/conversations-repo.js';
import type { PatientRecord } from '../store/patient-records.js';
import type { ChatAnswerView, ChatBody } from './schemas.js';
import { patientSummaryStats } from './summary-stats.js';

export type ChatDeps = Pick<GatewayDeps, 'store' | 'searchIndexes' | 'events'>;

/** Passages retrieved per question; the answerer reads the best 5 (patient) or 10 (doctor). */
const RETRIEVE_K = 10;

/** Said after an answer while some of the patient's documents are still in the pipeline. */
export const STILL_INDEXING: Record<ChatMode, string> = {
  patient: 'Some of your records are still being processed, so this answer may be incomplete',
  doctor: "Some of the patient's documents are still being indexed; this answer covers the indexed ones only",
};

/** The answer with the still-indexing notice as its last sentence (it states no fact, so it cites nothing). */
function withNotice(answer: ChatAnswer, notice: string): ChatAnswer {
  const sentences = [...answer.sentences, { text: notice, citations: [] }];
  const text = answer.sentences.length === 0 ? `${answer.text} ${withCitations(sentences.at(-1)!)}` : sentences.map(withCitations).join(' ');
  return { ...answer, sentences: answer.sentences.length === 0 ? answer.sentences : sentences, text };
}

function modeOf(principal: Principal): ChatMode {
  if (principal.kind === 'user' && principal.role === 'patient') return 'patient';
  if (principal.kind === 'user' && principal.role === 'doctor') return 'doctor';
  throw new WardClerkError('FORBIDDEN', 'Chat is for the patient and their assigned doctors', { details: { allowed_roles: ['patient', 'doctor'] } });
}

export function conversationNotFound(): WardClerkError {
  return new WardClerkError('NOT_FOUND', 'No such conversation', { details: { resource: 'conversation' } });
}

/** The patient, the caller's mode, and their user id: what every chat call checks first. */
export async function chatAccess(deps: ChatDeps, principal: Principal, patientId: string): Promise<{ patient: PatientRecord; mode: ChatMode; userId: string }> {
  const patient = await loadPatientFor(deps, principal, patientId);
  return { patient, mode: modeOf(principal), userId: principal.sub };
}

/** The caller's own conversation `conversationId` about the patient; 404 for anyone else's. */
export async function ownConversation(deps: ChatDeps, patient: PatientRecord, userId: string, conversationId: string): Promise<ConversationRecord> {
  const c = await deps.store.conversations.get(patient.tenant_id, patient.patient_id, conversationId);
  if (!c || c.owner_id !== userId) throw conversationNotFound();
  return c;
}

async function answerFor(deps: ChatDeps, patient: PatientRecord, mode: ChatMode, body: ChatBody, previousQuestions: readonly string[], signal?: AbortSignal): Promise<{ answer: ChatAnswer; referral: Referral | null }> {
  if (mode === 'patient') {
    const triage = triagePatientMessage(body.message);
    if (triage.action === 'refer') {
      const r = triage.referral;
      const team = await careTeamOf(deps, patient.tenant_id, patient.patient_id);
      await deps.events.publish(patient.tenant_id, 'chat.referral', { patient_id: patient.patient_id, reason: r.reason, urgency: r.urgency }, undefined, team);
      return { answer: { text: r.message, sentences: [], sources: [], found: false, requires_doctor_consultation: true, grounding: { checked: 0, dropped: 0 } }, referral: r };
    }
  }
  // A short follow-up ("and the one before that?") is asked together with the question it follows.
  const message = followUpQuery(previousQuestions, body.message);
  const question = body.additional_context ? `${message}\n${body.additional_context}` : message;
  const prepared = prepareQuery(question);
  const [index, embedded] = await Promise.all([deps.searchIndexes.index(patient.tenant_id, patient.patient_id), deps.searchIndexes.embedQuery(prepared.text, signal)]);
  const passages = index.search({ ...prepared, vector: embedded.vector, space: embedded.space, k: RETRIEVE_K });
  const answer = extractiveAnswer({ question, mode, passages });
  return { answer: deps.searchIndexes.pending(patient.patient_id) > 0 ? withNotice(answer, STILL_INDEXING[mode]) : answer, referral: null };
}

/** The answer to one chat message about `patientId`, complete and stored (the route streams it when asked). */
export async function answerChat(deps: ChatDeps, principal: Principal, patientId: string, body: ChatBody, signal?: AbortSignal): Promise<ChatAnswerView> {
  const { patient, mode, userId } = await chatAccess(deps, principal, patientId);
  if (mode === 'patient' && body.additional_context !== undefined) {
    throw new WardClerkError('VALIDATION_FAILED', 'additional_context is for doctors', { details: { field: 'additional_context' } });
  }
  const now = new Date().toISOString();
  const conversation: ConversationRecord = body.conversation_id
    ? await ownConversation(deps, patient, userId, body.conversation_id)
    : { conversation_id: newId('cnv'), tenant_id: patient.tenant_id, patient_id: patient.patient_id, owner_id: userId, mode, created_at: now, updated_at: now, turns: [] };
  const previous = conversation.turns.filter((t) => t.role === 'user').map((t) => t.text);
  const { answer, referral } = await answerFor(deps, patient, mode, body, previous, signal);
  const stats = mode === 'doctor' ? await patientSummaryStats(deps.store, patient) : null;
  await deps.store.conversations.put({
    ...conversation,
    updated_at: new Date().toISOString(),
    turns: [
      ...conversation.turns,
      { role: 'user', text: body.message, at: now },
      { role: 'assistant', text: answer.text, at: new Date().toISOString(), sources: answer.sources.map((s) => ({ ...s })), requires_doctor_consultation: answer.requires_doctor_consultation },
    ],
  });
  const pending = referral ? 0 : deps.searchIndexes.pending(patient.patient_id);
  return {
    mode, conversation_id: conversation.conversation_id, ...answer, referral: referral ? { reason: referral.reason, urgency: referral.urgency } : null,
    index_state: pending > 0 ? 'building' : 'ready', documents_pending: pending, ...(stats ? { patient_summary_stats: stats } : {}),
  };
}
