import { describe, expect, it } from 'vitest';
import { DrugMatcher, withinOneEdit } from './drug-matcher.js';
import { loadDrugVocab } from '../vocab/drug-vocab.js';

describe('withinOneEdit', () => {
  it.each([
    ['metformin', 'metformin', true], ['metformn', 'metformin', true], ['metfromin', 'metformin', true],
    ['metfxrmin', 'metformin', true], ['mtfrmin', 'metformin', false], ['lisinopril', 'metformin', false],
  ])('%s ~ %s → %s', (a, b, expected) => { expect(withinOneEdit(a, b)).toBe(expected); });
});

describe('DrugMatcher', () => {
  const matcher = new DrugMatcher(loadDrugVocab());
  it('prefers the longest multi-word name', () => {
    const [m] = matcher.findAll('insulin glargine 10 units');
    expect(m).toMatchObject({ start: 0, end: 16, kind: 'exact' });
    expect(m!.entry.name).toBe('insulin glargine');
  });
  it('marks OCR repairs and fuzzy matches', () => {
    expect(matcher.findAll('rnetformin')[0]?.kind).toBe('ocr');
    expect(matcher.findAll('metforrmin')[0]?.kind).toBe('fuzzy');
    expect(matcher.findAll('1isinopril')[0]?.kind).toBe('ocr');
  });
});

describe('DrugMatcher precision with the large vocabulary', () => {
  const matcher = new DrugMatcher(loadDrugVocab());
  const names = (text: string): string[] => matcher.findAll(text).map((m) => m.entry.name);

  it('finds no drug in ordinary clinical prose full of everyday and anatomy words', () => {
    const notes = [
      'UROLOGY CLINIC. 34 year old man with a painful left testis for two weeks. The right testis is normal, the left testis is tender with a small epididymal cyst. The scrotum is not red. Testes both descended. Plan: ultrasound of the testis, rest and supportive underwear.',
      'She was walking her dog in the park when she slipped on wet leaves and fell onto her outstretched hand. Pain in the wrist, no numbness. Lives with her husband, works as a teacher, drinks a glass of wine at the weekend, never smoked. Swelling over the distal radius with bruising. Plan: cast, elevation, fracture clinic in one week. Safety net advice given.',
      'Admitted with a chest infection. Raised white cells and CRP. Right lower lobe consolidation. Treated with fluids and improved. Potassium low at 3.1 and replaced. Glucose normal. Lactate 1.2. Troponin negative. Calcium 2.3, magnesium 0.8. Eating and drinking, mobilising with a frame, keen to go home to his wife. The physiotherapy team were happy. Lactose intolerance noted.',
      'Feels tired and stressed at work, poor sleep, back pain after gardening. Denies fever, cough or weight loss. Diet includes bread, rice, milk and fruit. Exercise twice a week. Bowels regular. Keep a diary, improve sleep hygiene, return if symptoms persist. The pan on the stove was hot. Total time spent 20 minutes.',
    ];
    for (const n of notes) expect(names(n), n.slice(0, 30)).toEqual([]);
  });

  it('never corrects an anatomy or everyday word into a drug', () => {
    for (const w of ['testis', 'testes', 'scrotal', 'pelvis', 'tendon', 'lumbar', 'stomach', 'morning', 'weekend', 'mobilising']) expect(names(w), w).toEqual([]);
    expect(matcher.findAll('metforrmin')[0]?.entry.name).toBe('metformin');
  });

  it('matches a short or everyday-word brand only beside a strength or dose form', () => {
    expect(names('Tab. Pan 40 1-0-1')).toEqual(['pantoprazole']);
    expect(names('Pan 40 mg od')).toEqual(['pantoprazole']);
    expect(names('Dolo 650 1-1-1 after food')).toEqual(['acetaminophen']);
    expect(names('Evra patch weekly')).toEqual(['norelgestromin-ethinyl estradiol']);
    expect(names('pan-systolic murmur; a hot pan')).toEqual([]);
  });

  it('joins a word OCR split in two only when the join is a drug and neither part is a word', () => {
    expect(matcher.findAll('Metf ormin 500 mg')).toMatchObject([{ start: 0, end: 10, kind: 'ocr', entry: { name: 'metformin' } }]);
    expect(names('met formin')).toEqual([]);
  });
  it('passes over a word far longer than any name (a 200,000-letter word once held the engine for hours)', () => {
    expect(matcher.findAll(`${'a'.repeat(200_000)} metformin ${'rnetforrnin'.repeat(20_000)}`)).toMatchObject([{ kind: 'exact', entry: { name: 'metformin' } }]);
  });
});
