import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectUrgent } from './detect-urgent.js';

/** Sentences with nothing urgent in them and none of the cues that revive a negated symptom. */
const BENIGN = [
  'My appointment is on Tuesday.', 'I take metformin 500 mg twice a day.', 'The pharmacy is closed on Sundays.', 'Thank you for your help.',
  'My HbA1c was 7.2 in March.', 'I walk for thirty minutes most days.', 'My daughter drives me to the clinic.', 'I would like a copy of my letter.',
  'What dose of atorvastatin am I on?', 'When was my last blood test?', 'I have some mild knee pain when I garden.', 'My weight is 82 kg.',
  'The nurse was very kind.', 'I sleep about seven hours.', 'Please explain my cholesterol result.', 'I live alone with my cat.',
  'Is my eGFR in the letter?', 'I forgot my password last week.', 'My blood pressure was 132/84 at the clinic.', 'I am 67 years old.',
  'Where can I find my discharge summary?', 'I have a cough and a runny nose.', 'My feet are a bit dry.', 'I eat rice and dal for lunch.',
];

/** A clearly negated urgent symptom, one sentence each. */
const NEGATED = [
  'No chest pain since Monday.', 'I have not had any chest pain.', 'Denies chest pain.', "I haven't fainted.", 'There is no bleeding.',
  'I have never had a seizure.', 'No shortness of breath or chest pain.', 'I do not have chest tightness.', 'No black stools.',
  'I am not suicidal.', 'Without any chest pain.', 'Chest pain is not there.', 'No more chest pain after the stent.', 'Never passed out.',
  'No fever, cough or chest pain.', 'I have not vomited blood.', 'No slurred speech.', 'I have no stiff neck.',
];

/** A clear current urgent symptom, one sentence each. */
const CURRENT = [
  'I have chest pain right now.', "I can't breathe.", 'My face is drooping.', 'I want to kill myself.', 'I am vomiting blood.',
  'My son is having a seizure.', 'I took too many pills.', 'My throat is swelling up.', 'I suddenly lost vision in one eye.',
  "My baby won't wake up.", 'I am bleeding heavily and it will not stop.', "I don't want to be here anymore.", 'I just passed out.',
  'Severe abdominal pain started an hour ago.', 'My arm went weak and my speech is slurred.',
];

const benign = fc.array(fc.constantFrom(...BENIGN), { maxLength: 6 });
const negated = fc.constantFrom(...NEGATED);
const current = fc.constantFrom(...CURRENT);

describe('detectUrgent properties', () => {
  it('benign text around a negated symptom never triggers', () => {
    fc.assert(fc.property(benign, negated, benign, (before, neg, after) => {
      expect(detectUrgent([...before, neg, ...after].join(' '))).toBeNull();
    }), { numRuns: 500 });
  });

  it('inserting a clear current symptom sentence anywhere always triggers', () => {
    const base = fc.array(fc.oneof(fc.constantFrom(...BENIGN), negated), { maxLength: 8 });
    fc.assert(fc.property(base, current, fc.nat(), (sentences, urgent, at) => {
      const all = [...sentences];
      all.splice(at % (all.length + 1), 0, urgent);
      expect(detectUrgent(all.join(' '))).not.toBeNull();
    }), { numRuns: 500 });
  });

  it('never throws on arbitrary text, and answers a 50 kB message quickly', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
      const r = detectUrgent(text);
      expect(r === null || r.signals.length > 0).toBe(true);
    }), { numRuns: 300 });
    const big = `${BENIGN.join(' ')} no chest pain, `.repeat(60).slice(0, 50_000);
    const t0 = performance.now();
    expect(detectUrgent(big)).toBeNull();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
