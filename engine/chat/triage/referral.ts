/**
 * The fixed answers of the patient-mode safety triage, and the one call chat makes before any
 * retrieval or model: `triagePatientMessage`. A referral is a constant text chosen by reason; it
 * never contains, quotes or paraphrases the patient's message, so it carries no PHI and can be
 * stored, streamed and audited as it is.
 */
import { detectClinicalDecisionRequest, type DecisionReason } from './detect-clinical-decision.js';
import { detectUrgent } from './detect-urgent.js';
import type { UrgentReason } from './urgent-signals.js';

export type TriageReason = UrgentReason | DecisionReason;

/** Shown for a life-threatening symptom. */
export const EMERGENCY_REFERRAL =
  'This may be a medical emergency. Call your local emergency number or go to the nearest emergency department now. ' +
  'If you cannot get there safely, ask someone nearby to call for help. This app cannot help in an emergency, ' +
  'and your care team may not see this message in time, so please do not wait for an answer here.';

/** Shown for thoughts of suicide or self-harm. */
export const SELF_HARM_REFERRAL =
  'It sounds like you may be thinking about harming yourself, and you deserve help right now. If you are in danger or might act on these thoughts, ' +
  'call your local emergency number or go to the nearest emergency department now. You can also call a crisis or suicide helpline, ' +
  'or tell someone you trust and ask them to stay with you. This app cannot help in an emergency, and your care team may not see this message in time.';

/** Shown when the patient asks for a diagnosis or a treatment decision. */
export const DOCTOR_REFERRAL =
  'I can only tell you what your own records say; I cannot diagnose or decide on treatment. Please ask your doctor about this. ' +
  'Do not start, stop or change any medicine until you have spoken to them. If you feel very unwell or think it is an emergency, ' +
  'call your local emergency number.';

const TEXT: Record<TriageReason, string> = {
  URGENT_SYMPTOM: EMERGENCY_REFERRAL,
  SELF_HARM: SELF_HARM_REFERRAL,
  DIAGNOSIS_REQUEST: DOCTOR_REFERRAL,
  TREATMENT_DECISION: DOCTOR_REFERRAL,
};

export interface Referral {
  requires_doctor_consultation: true;
  reason: TriageReason;
  /** `emergency` for URGENT_SYMPTOM and SELF_HARM, `doctor` for decision requests. */
  urgency: 'emergency' | 'doctor';
  /** One of the constant texts above. */
  message: string;
  /** Kinds of urgent signal found ("chest_pain"); empty for decision requests. Never message text. */
  signals: string[];
}

export type TriageResult = { action: 'refer'; referral: Referral } | { action: 'answer' };

/** The fixed referral for `reason`. */
export function referralFor(reason: TriageReason, signals: string[] = []): Referral {
  const urgency = reason === 'URGENT_SYMPTOM' || reason === 'SELF_HARM' ? 'emergency' : 'doctor';
  return { requires_doctor_consultation: true, reason, urgency, message: TEXT[reason], signals };
}

/**
 * Triage of one patient-mode message, before any retrieval or model: self-harm, then urgent
 * symptoms, then treatment decisions, then diagnosis requests; anything else may be answered
 * from the record.
 */
export function triagePatientMessage(message: string): TriageResult {
  const urgent = detectUrgent(message);
  if (urgent !== null) return { action: 'refer', referral: referralFor(urgent.reason, urgent.signals) };
  const decision = detectClinicalDecisionRequest(message);
  if (decision !== null) return { action: 'refer', referral: referralFor(decision.reason) };
  return { action: 'answer' };
}
