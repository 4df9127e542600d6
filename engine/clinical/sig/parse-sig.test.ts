import { describe, expect, it } from 'vitest';
import { DosageSchema } from '../../../core/clinical/fhir-dosage.js';
import { validateTiming } from '../timing-invariants.js';
import { parseSig } from './parse-sig.js';

const cases: Array<[string, Partial<{ dose: string | null; frequency: string | null; duration: string | null; as_needed: boolean; as_needed_reason: string | null; route: string | null }>]> = [
  ['1 tab po bid', { dose: '1 tablet', frequency: 'BID', route: 'oral' }],
  ['Take 1-2 tablets by mouth every 4 to 6 hours as needed for pain', { dose: '1-2 tablets', frequency: 'Q4-6H', as_needed: true, as_needed_reason: 'pain' }],
  ['one or two at night', { dose: '1-2', frequency: 'QHS' }],
  ['½ tab od', { dose: '0.5 tablet', frequency: 'QD' }],
  ['1.5 tablets daily', { dose: '1.5 tablets', frequency: 'QD' }],
  ['a teaspoon three times a day for 7 days', { dose: '5 mL', frequency: 'TID', duration: '7 days' }],
  ['2 tabs q.d.s. x2 weeks', { dose: '2 tablets', frequency: 'QID', duration: '2 weeks' }],
  ['1 cap tds for 5/7', { dose: '1 capsule', frequency: 'TID', duration: '5 days' }],
  ['6 hrly prn nausea', { frequency: 'Q6H', as_needed: true, as_needed_reason: 'nausea' }],
  ['q8h', { frequency: 'Q8H' }],
  ['every other day', { frequency: 'QOD' }],
  ['twice weekly', { frequency: '2 times a week' }],
  ['3 times a week', { frequency: '3 times a week' }],
  ['on Mondays and Thursdays', { frequency: '2 times a week' }],
  ['1 tablet in the morning and at night', { dose: '1 tablet', frequency: 'BID' }],
  ['10 units subcut qhs', { dose: '10 units', frequency: 'QHS', route: 'subcutaneous' }],
  ['nocte', { frequency: 'QHS' }],
  ['1 tab tid with meals', { frequency: 'TID' }],
  ['with meals', { frequency: 'TID' }],
  ['for 3 doses', { duration: '3 doses' }],
  ['1 tab bid until finished', { duration: 'until finished' }],
  ['2 sprays in each nostril once daily', { dose: '2 sprays', frequency: 'QD', route: 'nasal' }],
  ['1 drop OD qds', { dose: '1 drop', frequency: 'QID', route: 'ophthalmic' }],
  ['weekly', { frequency: 'QW' }],
  ['stat', { frequency: 'ONCE' }],
];

describe('parseSig flat fields', () => {
  it.each(cases)('%s', (text, expected) => {
    const r = parseSig(text);
    expect(r).toMatchObject(expected);
  });
});

describe('parseSig FHIR Dosage', () => {
  it('maps q4-6h prn with a maximum to repeat, asNeeded and maxDosePerPeriod', () => {
    const [d] = parseSig('1-2 tabs q4-6h prn pain, max 8 in 24 hours').dosage;
    expect(d!.timing!.repeat).toEqual({ frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' });
    expect(d!.asNeededCodeableConcept).toEqual({ text: 'pain' });
    expect(d!.maxDosePerPeriod!.numerator!.value).toBe(8);
    expect(d!.maxDosePerPeriod!.denominator).toMatchObject({ value: 24, code: 'h' });
    expect(d!.doseAndRate![0]!.doseRange).toMatchObject({ low: { value: 1 }, high: { value: 2 } });
  });

  it('codes BID with the HL7 timing abbreviation and oral route with SNOMED CT', () => {
    const [d] = parseSig('1 tab po bid').dosage;
    expect(d!.timing!.code!.coding![0]).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation', code: 'BID' });
    expect(d!.route!.coding![0]).toMatchObject({ system: 'http://snomed.info/sct', code: '26643006' });
    expect(d!.text).toBe('1 tab po bid');
  });

  it('splits a taper into ordered Dosage entries and carries the frequency forward', () => {
    const r = parseSig('2 puffs bd for a week followed by 1 puff');
    expect(r.dosage.map((d) => d.sequence)).toEqual([1, 2]);
    expect(r.dosage[0]!.timing!.repeat!.boundsDuration).toMatchObject({ value: 1, code: 'wk' });
    expect(r.dosage[1]!.doseAndRate![0]!.doseQuantity).toMatchObject({ value: 1, unit: 'puff' });
    expect(r.dosage[1]!.timing!.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd' });
  });

  it('splits a comma-separated steroid taper', () => {
    const r = parseSig('40 mg daily x 5 days, 30 mg daily x 5 days, 20 mg daily x 5 days then stop');
    expect(r.dosage).toHaveLength(3);
    expect(r.dosage.map((d) => d.doseAndRate![0]!.doseQuantity!.value)).toEqual([40, 30, 20]);
  });

  it('keeps "for 3 doses" as a count and "30 minutes before breakfast" as when + offset', () => {
    expect(parseSig('1 tab q12h for 3 doses').dosage[0]!.timing!.repeat!.count).toBe(3);
    expect(parseSig('1 tab 30 minutes before breakfast').dosage[0]!.timing!.repeat).toMatchObject({ when: ['ACM'], offset: 30 });
  });

  it('puts days of the week in dayOfWeek without frequency/period', () => {
    const repeat = parseSig('1 tablet on Mondays and Thursdays').dosage[0]!.timing!.repeat!;
    expect(repeat.dayOfWeek).toEqual(['mon', 'thu']);
    expect(repeat.frequency).toBeUndefined();
  });

  it('flags "as directed" and keeps the text', () => {
    const r = parseSig('Use as directed');
    expect(r.as_directed).toBe(true);
    expect(r.dosage[0]!.additionalInstruction).toEqual([{ text: 'as directed' }]);
  });

  it('returns no Dosage for empty text and never throws on junk', () => {
    expect(parseSig('   ').dosage).toEqual([]);
    expect(() => parseSig('\u0000\uffff(((q')).not.toThrow();
  });

  it('produces valid Dosage and Timing for every case', () => {
    for (const [text] of cases) {
      for (const d of parseSig(text).dosage) {
        expect(DosageSchema.safeParse(d).success).toBe(true);
        expect(validateTiming(d.timing ?? {})).toEqual([]);
      }
    }
  });

  it('spans point at the words they came from', () => {
    const text = 'Take 2 tablets PO every 6 hours as needed for headache for 5 days';
    const r = parseSig(text);
    expect(text.slice(r.spans.dose!.start, r.spans.dose!.end)).toBe('2 tablets');
    expect(text.slice(r.spans.frequency!.start, r.spans.frequency!.end)).toBe('every 6 hours');
    expect(text.slice(r.spans.duration!.start, r.spans.duration!.end)).toBe('for 5 days');
    expect(text.slice(r.spans.as_needed_reason!.start, r.spans.as_needed_reason!.end)).toBe('headache');
    expect(text.slice(r.spans.route!.start, r.spans.route!.end)).toBe('PO');
  });
});

describe('parseSig: separators, OCR, UK ON and second doses', () => {
  it('drops separators before the instruction from Dosage.text', () => {
    expect(parseSig(', 2 tabs tds').dosage[0]!.text).toBe('2 tabs tds');
    expect(parseSig(' - apply bd').dosage[0]!.text).toBe('apply bd');
  });

  it('repairs OCR letters in numbers and in bid/tid/qid', () => {
    expect(parseSig('2O mg tlD')).toMatchObject({ dose: '20 mg', frequency: 'TID' });
    expect(parseSig('1 tab BlD')).toMatchObject({ dose: '1 tablet', frequency: 'BID' });
    expect(parseSig('1 cap qld')).toMatchObject({ frequency: 'QID' });
  });

  it('reads ON as at night only as the whole instruction or right after a dose', () => {
    expect(parseSig('ON').frequency).toBe('QHS');
    expect(parseSig('2 tabs ON').frequency).toBe('QHS');
    expect(parseSig('take on an empty stomach').frequency).toBeNull();
  });

  it('keeps a schedule with no dose apart from a second dose joined by "and"', () => {
    const r = parseSig('on Tue and Sat and 1 mg all other days');
    expect(r.dose).toBeNull();
    expect(r.frequency).toBe('2 times a week');
    expect(r.dosage).toHaveLength(2);
  });
});

describe('parseSig: named meal and sleep times count the doses', () => {
  const repeatOf = (text: string) => parseSig(text).dosage[0]!.timing!.repeat!;
  it.each([
    ['before breakfast and before dinner', ['ACM', 'ACV']],
    ['1 tab before breakfast and at bedtime', ['ACM', 'HS']],
    ['one tablet with breakfast and supper', ['CM', 'CV']],
    // "daily" / "every day" say on which days, not how often: the named times do.
    ['Metformin 500 mg daily before breakfast and before dinner', ['ACM', 'ACV']],
    ['insulin 10 units sc every day before breakfast and at bedtime', ['ACM', 'HS']],
    ['1 tablet daily with breakfast and supper', ['CM', 'CV']],
    ['before breakfast and before dinner daily', ['ACM', 'ACV']],
    ['1 tab ac breakfast and dinner', ['ACM', 'ACV']],
  ])('%s is twice daily', (text, when) => {
    const r = parseSig(text);
    expect(r.frequency).toBe('BID');
    expect(r.dosage[0]!.timing!.code!.coding![0]!.code).toBe('BID');
    expect(repeatOf(text)).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd', when });
    expect(validateTiming(r.dosage[0]!.timing!)).toEqual([]);
  });

  it('counts clock times after "daily" too', () => {
    expect(repeatOf('1 tab daily at 9am and 9pm')).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd', timeOfDay: ['09:00:00', '21:00:00'] });
    expect(repeatOf('daily at 9am')).toMatchObject({ frequency: 1, timeOfDay: ['09:00:00'] });
  });

  it('keeps slot patterns: 1-0-1 twice a day, 0-0-1 once at night', () => {
    expect(parseSig('1-0-1')).toMatchObject({ frequency: 'BID' });
    expect(repeatOf('1-0-1')).toMatchObject({ frequency: 2, when: ['MORN', 'NIGHT'] });
    expect(repeatOf('1-0-1 daily')).toMatchObject({ frequency: 2, when: ['MORN', 'NIGHT'] });
    expect(parseSig('0-0-1')).toMatchObject({ frequency: 'QHS' });
    expect(repeatOf('0-0-1')).toMatchObject({ frequency: 1, when: ['NIGHT'] });
  });

  it('never raises a count that is written out: "once daily" with two meal times stays once', () => {
    expect(repeatOf('once daily before breakfast and before dinner').frequency).toBe(1);
    expect(repeatOf('1 tab od before breakfast and before dinner').frequency).toBe(1);
    expect(repeatOf('daily before breakfast').frequency).toBe(1);
  });
});
