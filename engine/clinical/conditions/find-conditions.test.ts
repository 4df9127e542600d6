import { describe, expect, it } from 'vitest';
import { extractClinical } from '../extract.js';
import { activeConditionVocabulary, lateralityOf } from './condition-vocabulary.js';

const dx = (text: string): string[] => extractClinical(text).diseases.map((d) => `${d.code?.code} ${d.assertion}`);

describe('ICD-10-CM breadth', () => {
  it('bundles at least 5,000 matchable concepts and side-specific codes reached through laterality', () => {
    const v = activeConditionVocabulary();
    expect(v.trie.size).toBeGreaterThanOrEqual(5000);
    expect(v.byCode.size).toBeGreaterThanOrEqual(20_000);
    expect(lateralityOf(v, 'H66.90')).toMatchObject({ left: { code: 'H66.92' }, right: { code: 'H66.91' }, bilateral: { code: 'H66.93' } });
    expect(lateralityOf(v, 'I10')).toBeUndefined();
  });

  it('finds conditions the hand-written list lacked, by their ICD-10-CM wording', () => {
    expect(dx('Diagnosis: leptospirosis.')).toEqual(['A27.9 present']);
    expect(dx('Known hyperkalemia.')).toEqual(['E87.5 present']);
  });

  it('tells viral and bacterial variants of acute infections apart', () => {
    expect(dx('Viral pneumonia.')).toEqual(['J12.9 present']);
    expect(dx('Bacterial pneumonia.')).toEqual(['J15.9 present']);
    expect(dx('Viral fever.')).toEqual(['B34.9 present']);
    expect(dx('Viral conjunctivitis.')).toEqual(['B30.9 present']);
    expect(dx('Bacterial meningitis.')).toEqual(['G00.9 present']);
  });
});

describe('precision on ordinary prose', () => {
  it('reports no condition from the generated ICD-10-CM phrases in everyday clinical prose', () => {
    const notes = [
      'She was walking her dog in the park when she slipped on wet leaves and fell onto her outstretched hand. Lives with her husband, works as a teacher, drinks a glass of wine at the weekend. Plan: cast, elevation, fracture clinic in one week. Safety net advice given.',
      'Feels tired at work. Diet includes bread, rice, milk and fruit. Exercise twice a week. Appetite normal. Bowels regular. Urine normal. Total time spent 20 minutes. Discussed risks and benefits. Interpreter present. Lives alone, independent with activities of daily living.',
      'Alert and oriented, well perfused, no distress. Heart sounds normal, chest clear, abdomen soft and non-tender, calves soft. Mood and affect appropriate. Left the ward at 16:00 with his daughter. History of present illness as above. Allergy clinic letter filed.',
    ];
    for (const n of notes) expect(dx(n), n.slice(0, 30)).toEqual([]);
  });
});

describe('laterality', () => {
  it('chooses the side-specific code when the text names the side, before or after', () => {
    expect(dx('Left otitis media.')).toEqual(['H66.92 present']);
    expect(dx('Otitis media of the left ear.')).toEqual(['H66.92 present']);
    expect(dx('Otitis media, right.')).toEqual(['H66.91 present']);
    expect(dx('Bilateral otitis media.')).toEqual(['H66.93 present']);
    expect(dx('Otitis media.')).toEqual(['H66.90 present']);
    expect(dx('Right ankle fracture.')).toEqual(['S82.891A present']);
    expect(dx('R ankle sprain')).toEqual(['S93.401A present']);
    expect(dx('Left wrist sprain.')).toEqual(['S63.502A present']);
    expect(dx('Right knee pain.')).toEqual(['M25.561 present']);
    expect(dx('Fracture of the left wrist.')).toEqual(['S62.102A present']);
    expect(dx('Sprain of the right knee.')).toEqual(['S83.91XA present']);
  });

  it('codes post-procedure states with their side and keeps the old injury historical', () => {
    expect(dx('s/p ORIF right ankle fracture')).toEqual(['Z96.7 historical', 'S82.891A historical']);
    expect(dx('Status post left total knee replacement.')).toEqual(['Z96.652 historical']);
  });
});

describe('OCR split words', () => {
  it('joins a condition split by OCR and warns; leaves real two-word phrases alone', () => {
    const x = extractClinical('PMH: H ypertension.');
    expect(x.diseases.map((d) => [d.text, d.code?.code])).toEqual([['H ypertension', 'I10']]);
    expect(x.warnings.map((w) => w.code)).toContain('OCR_REPAIRED');
    const y = extractClinical('PMH: hyper tension headaches.');
    expect(y.warnings.map((w) => w.code)).not.toContain('OCR_REPAIRED');
  });

  it('warns when the caller reports low OCR confidence, and not otherwise', () => {
    expect(extractClinical('Hypertension.', { ocrConfidence: 0.55 }).warnings.map((w) => w.code)).toEqual(['OCR_LOW_CONFIDENCE']);
    expect(extractClinical('Hypertension.', { ocrConfidence: 0.97 }).warnings).toEqual([]);
  });

  it('does not report a drug named inside a condition as a medication', () => {
    const x = extractClinical('Vitamin D deficiency and iron deficiency anaemia; on Metf ormin 500 mg bd.');
    expect(x.diseases.map((d) => d.code?.code)).toEqual(['E55.9', 'D50.9']);
    expect(x.medications.map((m) => m.name)).toEqual(['metformin']);
    expect(x.warnings.map((w) => w.code)).toContain('OCR_REPAIRED');
  });
});
