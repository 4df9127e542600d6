import { describe, expect, it } from 'vitest';
import { extractClinical } from '../extract.js';

const assertions = (t: string): Record<string, string> => Object.fromEntries(extractClinical(t).diseases.map((d) => [d.text.toLowerCase(), d.assertion]));

describe('ConText assertions', () => {
  it.each([
    ['Denies chest pain, shortness of breath, or fever.', { 'chest pain': 'negated', 'shortness of breath': 'negated', fever: 'negated' }],
    ['No fever but has cough.', { fever: 'negated', cough: 'present' }],
    ['No chest pain; dyspnea on exertion.', { 'chest pain': 'negated', 'dyspnea on exertion': 'present' }],
    ['No fever. Cough for 3 days.', { fever: 'negated', cough: 'present' }],
    ['Pulmonary embolism was ruled out.', { 'pulmonary embolism': 'negated' }],
    ['History of stroke.', { stroke: 'historical' }],
    ['No known history of asthma.', { asthma: 'negated' }],
    ['s/p MI, hypertension.', { mi: 'historical', hypertension: 'present' }],
    ['Mother had diabetes.', { diabetes: 'family' }],
    ['Possible pneumonia.', { pneumonia: 'uncertain' }],
    ['r/o sepsis', { sepsis: 'uncertain' }],
    ['Return if fever develops.', { fever: 'hypothetical' }],
    ['Advised to come in if she develops vomiting.', { vomiting: 'hypothetical' }],
    ['Fever: no. Cough: yes.', { fever: 'negated', cough: 'present' }],
    ['Afebrile.', { afebrile: 'negated' }],
    ['History of atrial fibrillation not on anticoagulation, hypertension.', { 'atrial fibrillation': 'historical', hypertension: 'historical' }],
    ['65 year old man with diabetes.', { diabetes: 'present' }],
    ['Denies chest pain. Reports palpitations.', { 'chest pain': 'negated', palpitations: 'present' }],
    ['Pneumonia vs bronchitis.', { pneumonia: 'uncertain', bronchitis: 'uncertain' }],
  ])('%s', (text, expected) => {
    expect(assertions(text)).toMatchObject(expected);
  });

  it('marks everything in a family-history section as family unless negated', () => {
    const a = assertions('Family History:\nDiabetes, hypertension. No cancer.');
    expect(a).toMatchObject({ diabetes: 'family', hypertension: 'family', cancer: 'negated' });
  });
});

describe('ConText: a relative as the subject of the clause', () => {
  it.each([
    ['His brother was diagnosed with colon cancer last year.', { 'colon cancer': 'family' }],
    ['Her daughter has asthma and eczema.', { asthma: 'family', eczema: 'family' }],
    ['Patient reports his father died of a stroke.', { stroke: 'family' }],
    ['Her aunt had breast cancer; the patient has hypertension.', { 'breast cancer': 'family', hypertension: 'present' }],
    ['She takes care of her son, and has migraine herself.', { migraine: 'present' }],
  ])('%s', (text, expected) => {
    expect(assertions(text)).toMatchObject(expected);
  });
});
