import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DOCTOR_REFERRAL, EMERGENCY_REFERRAL, SELF_HARM_REFERRAL, triagePatientMessage, type Referral } from './referral.js';

function referral(message: string): Referral {
  const r = triagePatientMessage(message);
  if (r.action !== 'refer') throw new Error(`expected a referral for: ${message}`);
  return r.referral;
}

describe('triagePatientMessage', () => {
  it('answers an emergency with the fixed emergency text', () => {
    const r = referral('I have crushing chest pain');
    expect(r).toEqual({ requires_doctor_consultation: true, reason: 'URGENT_SYMPTOM', urgency: 'emergency', message: EMERGENCY_REFERRAL, signals: ['chest_pain'] });
    expect(EMERGENCY_REFERRAL).toMatch(/emergency number/);
    expect(EMERGENCY_REFERRAL).toMatch(/emergency department/);
    expect(EMERGENCY_REFERRAL).toMatch(/cannot help in an emergency/);
  });

  it('answers thoughts of self-harm with the self-harm text, even beside another emergency', () => {
    expect(referral("I don't want to be here anymore").reason).toBe('SELF_HARM');
    const both = referral('I took too many pills because I want to die');
    expect(both.reason).toBe('SELF_HARM');
    expect(both.message).toBe(SELF_HARM_REFERRAL);
    expect(both.signals).toEqual(['suicidal_thoughts', 'overdose']);
    expect(SELF_HARM_REFERRAL).toMatch(/emergency number/);
  });

  it('sends diagnosis and treatment questions to the doctor', () => {
    expect(referral('do I have cancer?')).toEqual({ requires_doctor_consultation: true, reason: 'DIAGNOSIS_REQUEST', urgency: 'doctor', message: DOCTOR_REFERRAL, signals: [] });
    expect(referral('should I stop taking my warfarin?').reason).toBe('TREATMENT_DECISION');
    expect(DOCTOR_REFERRAL).toMatch(/ask your doctor/i);
  });

  it('puts an emergency before a treatment question in the same message', () => {
    expect(referral('I have chest pain, should I take an extra aspirin?').reason).toBe('URGENT_SYMPTOM');
  });

  it('lets record and scheduling questions through', () => {
    for (const q of ['what dose of warfarin am I on?', 'When is my next appointment?', 'no chest pain since Monday, what did my ECG show?']) {
      expect(triagePatientMessage(q)).toEqual({ action: 'answer' });
    }
  });

  it('never echoes the message: nothing of it appears in a referral', () => {
    const name = fc.stringMatching(/^[A-Z][a-z]{5,9}$/).filter((s) => !/emergenc|doctor|medicine/i.test(s));
    const trigger = fc.constantFrom('I have chest pain', 'I want to end it all', 'do I have cancer?', 'can I double my insulin?', 'my face is drooping');
    fc.assert(fc.property(name, fc.integer({ min: 100_000, max: 999_999 }), trigger, (who, mrn, t) => {
      const text = JSON.stringify(referral(`My name is ${who}, MRN ${mrn}. ${t}`));
      expect(text).not.toContain(who);
      expect(text).not.toContain(String(mrn));
    }), { numRuns: 200 });
  });
});
