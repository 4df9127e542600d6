/**
 * One chat turn about one patient (issue 9): the access check (people/access.ts: an unassigned
 * doctor gets 404 as for a missing patient), the mode from the caller (the patient's own account:
 * patient mode; an assigned doctor: doctor mode; anyone else 403), then for a patient the safety
 * triage before anything else — a referral is answered at once with its fixed text and a
 * `chat.referral` event to the care team (ids, reason and urgency only) — and otherwise retrieval
 * from the patient's own index and the extractive answerer. Messages are never logged.
 */
import { WardClerkError } from '../../core/errors.js';
import { extractiveAnswer } from '../../engine/chat/answer/extractive-answer.js';
import type { ChatAnswer, ChatMode } from '../../engine/chat/answer/chat-answer.js';
import { type Referral, triagePatientMessage } from '../../engine/chat/triage/referral.js';
import { prepareQuery } from '../../engine/retrieval/prepare-query.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { careTeamOf, loadPatientFor } from '../people/access.js';
import type { ChatAnswerView, ChatBody } from './schemas.js';

export type ChatDeps = Pick<GatewayDeps, 'store' | 'searchIndexes' | 'events'>;

/** Passages retrieved per question; the answerer reads the best 5 (patient) or 10 (doctor). */
const RETRIEVE_K = 10;

function modeOf(principal: Principal): ChatMode {
  if (principal.kind === 'user' && principal.role === 'patient') return 'patient';
  if (principal.kind === 'user' && principal.role === 'doctor') return 'doctor';
  throw new WardClerkError('FORBIDDEN', 'Chat is for the patient and their assigned doctors', { details: { allowed_roles: ['patient', 'doctor'] } });
}

function view(mode: ChatMode, answer: ChatAnswer, referral: Referral | null = null): ChatAnswerView {
  return { mode, ...answer, referral: referral ? { reason: referral.reason, urgency: referral.urgency } : null };
}

/** The answer to one chat message about `patientId`, complete (the route streams it when asked). */
export async function answerChat(deps: ChatDeps, principal: Principal, patientId: string, body: ChatBody, signal?: AbortSignal): Promise<ChatAnswerView> {
  const patient = await loadPatientFor(deps, principal, patientId);
  const mode = modeOf(principal);
  if (mode === 'patient' && body.additional_context !== undefined) {
    throw new WardClerkError('VALIDATION_FAILED', 'additional_context is for doctors', { details: { field: 'additional_context' } });
  }
  if (mode === 'patient') {
    const triage = triagePatientMessage(body.message);
    if (triage.action === 'refer') {
      const r = triage.referral;
      const team = await careTeamOf(deps, patient.tenant_id, patient.patient_id);
      await deps.events.publish(patient.tenant_id, 'chat.referral', { patient_id: patient.patient_id, reason: r.reason, urgency: r.urgency }, undefined, team);
      const answer: ChatAnswer = { text: r.message, sentences: [], sources: [], found: false, requires_doctor_consultation: true, grounding: { checked: 0, dropped: 0 } };
      return view(mode, answer, r);
    }
  }
  const question = body.additional_context ? `${body.message}\n${body.additional_context}` : body.message;
  const prepared = prepareQuery(question);
  const [index, embedded] = await Promise.all([deps.searchIndexes.index(patient.tenant_id, patient.patient_id), deps.searchIndexes.embedQuery(prepared.text, signal)]);
  const passages = index.search({ ...prepared, vector: embedded.vector, space: embedded.space, k: RETRIEVE_K });
  return view(mode, extractiveAnswer({ question, mode, passages }));
}
