import { describe, expect, it } from 'vitest';
import { DosageSchema } from '../../../core/clinical/fhir-dosage.js';
import { validateTiming } from '../timing-invariants.js';
import { parseSig } from './parse-sig.js';

const valid = (text: string) => {
  const r = parseSig(text);
  for (const d of r.dosage) {
    expect(DosageSchema.safeParse(d).success).toBe(true);
    expect(validateTiming(d.timing ?? {})).toEqual([]);
  }
  return r;
};

describe('Indian-style slot patterns (morning-noon-night doses)', () => {
  it.each([
    ['1-0-1 x 5 days', { dose: '1', frequency: 'BID', duration: '5 days' }],
    ['1-1-1 after food', { dose: '1', frequency: 'TID' }],
    ['0-0-1', { frequency: 'QHS' }],
    ['1-0-0 (BF)', { frequency: 'QAM' }],
    ['0-1-0', { frequency: 'QD' }],
    ['1-1-1-1', { frequency: 'QID' }],
    ['1-0-0-1', { frequency: 'BID' }],
    ['½-0-½', { dose: '0.5', frequency: 'BID' }],
    ['1 - 0 - 1 for 7 days', { dose: '1', frequency: 'BID', duration: '7 days' }],
    ['1–0–1 tab', { dose: '1 tablet', frequency: 'BID' }],
    ['1-0-0 BF x 5 days', { frequency: 'QAM', duration: '5 days' }],
    ['1-0-1 AF', { frequency: 'BID' }],
    // A full stop ends the sentence, not the pattern.
    ['1-0-1.', { dose: '1', frequency: 'BID' }],
    ['0-0-1.', { dose: '1', frequency: 'QHS' }],
    ['1-1-1. Then 0-0-1.', { frequency: 'TID' }],
  ])('%s', (text, expected) => {
    expect(valid(text)).toMatchObject(expected);
  });

  it('puts one when code per non-zero slot and keeps the meal relation', () => {
    const r = valid('1-0-1 (AF)');
    expect(r.dosage).toHaveLength(1);
    expect(r.dosage[0]!.timing!.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd', when: ['MORN', 'NIGHT', 'PC'] });
    expect(valid('1-1-1').dosage[0]!.timing!.repeat!.when).toEqual(['MORN', 'AFT', 'NIGHT']);
    expect(valid('1-0-0 BF').dosage[0]!.timing!.repeat!.when).toEqual(['MORN', 'AC']);
    expect(valid('1-1-1-1').dosage[0]!.timing!.repeat!.when).toEqual(['MORN', 'AFT', 'EVE', 'NIGHT']);
  });

  it('gives unequal slots one concurrent Dosage per slot, each with its own dose', () => {
    const r = valid('2-0-1 tab x 5 days');
    expect(r.frequency).toBe('BID');
    expect(r.dose).toBe('2 tablets morning, 1 tablet night');
    expect(r.dosage).toHaveLength(2);
    expect(r.dosage.map((d) => d.sequence)).toEqual([1, 1]);
    expect(r.dosage.map((d) => d.timing!.repeat!.when)).toEqual([['MORN'], ['NIGHT']]);
    expect(r.dosage.map((d) => d.doseAndRate![0]!.doseQuantity!.value)).toEqual([2, 1]);
    expect(r.dosage[1]!.timing!.repeat!.boundsDuration).toMatchObject({ value: 5, code: 'd' });
    const insulin = valid('10-0-8 units sc');
    expect(insulin.dosage.map((d) => d.doseAndRate![0]!.doseQuantity)).toMatchObject([{ value: 10, code: '[iU]' }, { value: 8, code: '[iU]' }]);
  });

  it('keeps a decimal last slot ("1-0-1.5") and a dated full stop ("12-05-21.") apart from the sentence end', () => {
    expect(valid('1-0-1.5 tab').dosage.map((d) => d.doseAndRate![0]!.doseQuantity!.value)).toEqual([1, 1.5]);
    expect(valid('12-05-21.').frequency).toBeNull();
    expect(valid('0-0-1.').dosage[0]!.timing!.repeat).toMatchObject({ frequency: 1, when: ['NIGHT'] });
  });

  it('is never a once-daily or a dose range, and leaves dates and real ranges alone', () => {
    expect(valid('1-0-1').frequency).not.toBe('QD');
    expect(valid('1-2 tablets')).toMatchObject({ dose: '1-2 tablets', frequency: null });
    expect(valid('12-05-21').frequency).toBeNull();
    expect(valid('seen 03-04-2024').frequency).toBeNull();
  });

  it('spans of the slot pattern point at it', () => {
    const text = 'take 1-0-1 after food';
    const r = valid(text);
    expect(text.slice(r.spans.dose!.start, r.spans.dose!.end)).toBe('1-0-1');
  });
});

describe('sig wording hospitals write', () => {
  it.each([
    ['1 tabelt dialy', { dose: '1 tablet', frequency: 'QD' }],
    ['take one twise a day', { frequency: 'BID' }],
    ['2 tablets 3 times every day', { dose: '2 tablets', frequency: 'TID' }],
    ['1 tab with meals and at bedtime', { frequency: 'QID' }],
    ['1 tab before meals and at bedtime', { frequency: 'QID' }],
    ['2 x 5 ml tds', { dose: '10 mL', frequency: 'TID' }],
    ['1-2 puffs bid-tid', { dose: '1-2 puffs', frequency: '2-3 times a day' }],
    ['apply up to qid', { frequency: '1-4 times a day' }],
    ['up to 3 times a day', { frequency: '1-3 times a day' }],
    ['1 tab t.d.s. 7/7', { frequency: 'TID', duration: '7 days' }],
    ['one b.d. for 1/52', { dose: '1', frequency: 'BID', duration: '1 week' }],
    ['1 cap o.n. for 2/12', { frequency: 'QHS', duration: '2 months' }],
    ['1 tab daily for a week', { duration: '1 week' }],
    ['60,000 IU once weekly', { dose: '60000 units', frequency: 'QW' }],
    ['1,000 units daily', { dose: '1000 units' }],
    ['15 mg/kg iv q8h', { dose: '15 mg/kg', frequency: 'Q8H', route: 'IV' }],
  ])('%s', (text, expected) => {
    expect(valid(text)).toMatchObject(expected);
  });

  it('puts a frequency range and a maximum into frequencyMax', () => {
    expect(valid('bid-tid').dosage[0]!.timing!.repeat).toMatchObject({ frequency: 2, frequencyMax: 3, period: 1, periodUnit: 'd' });
    expect(valid('up to qid').dosage[0]!.timing!.repeat).toMatchObject({ frequency: 1, frequencyMax: 4 });
  });

  it('codes a weight-based dose per kilogram', () => {
    expect(valid('15 mg/kg iv q8h').dosage[0]!.doseAndRate![0]!.doseQuantity).toMatchObject({ value: 15, unit: 'mg/kg', code: 'mg/kg' });
    expect(valid('40 mg/kg/day divided tid').dosage[0]!.doseAndRate![0]!.doseQuantity).toMatchObject({ code: 'mg/kg/d' });
  });
});
