import { describe, expect, it } from 'vitest';
import { detectClinicalDecisionRequest } from './detect-clinical-decision.js';
import { ALLOWED_QUESTIONS, DECISION_REQUESTS } from './decision-phrasings.js';

describe('detectClinicalDecisionRequest', () => {
  it.each(DECISION_REQUESTS)('refers: %s', (message, reason) => {
    expect(detectClinicalDecisionRequest(message)?.reason).toBe(reason);
  });

  it.each(ALLOWED_QUESTIONS.map((q) => [q]))('allows the record question: %s', (message) => {
    expect(detectClinicalDecisionRequest(message)).toBeNull();
  });

  it('finds a decision request in any sentence of a longer message', () => {
    expect(detectClinicalDecisionRequest('My HbA1c was 8.1 in March. Should I double my gliclazide?')?.reason).toBe('TREATMENT_DECISION');
    expect(detectClinicalDecisionRequest('Thanks for the letter. Do I have heart failure?')?.reason).toBe('DIAGNOSIS_REQUEST');
  });

  it('prefers the treatment decision when a message asks for both', () => {
    expect(detectClinicalDecisionRequest('Do I have an infection, and should I take antibiotics?')?.reason).toBe('TREATMENT_DECISION');
  });
});
