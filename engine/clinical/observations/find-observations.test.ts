import { describe, expect, it } from 'vitest';
import { extractClinical } from '../extract.js';

const obs = (t: string, now?: Date) => extractClinical(t, now ? { now } : {}).observations.map((o) => ({ code: o.code.code, value: o.value, unit: o.unit, date: o.date }));

describe('observations', () => {
  it('splits blood pressure into systolic and diastolic', () => {
    expect(obs('BP 132/84 mmHg')).toEqual([
      { code: '8480-6', value: 132, unit: 'mm[Hg]', date: null },
      { code: '8462-4', value: 84, unit: 'mm[Hg]', date: null },
    ]);
  });

  it('reads compact vitals with case-sensitive one-letter names', () => {
    const o = obs('T 37.2 P 64 R 14 BP 110/70 SpO2 99%');
    expect(o.map((x) => [x.code, x.value, x.unit])).toEqual([
      ['8310-5', 37.2, 'Cel'], ['8867-4', 64, '/min'], ['9279-1', 14, '/min'], ['8480-6', 110, 'mm[Hg]'], ['8462-4', 70, 'mm[Hg]'], ['59408-5', 99, '%'],
    ]);
  });

  it('switches to the SI LOINC code when the value is in SI units', () => {
    expect(obs('HbA1c 58 mmol/mol')[0]).toMatchObject({ code: '59261-8', value: 58 });
    expect(obs('creatinine 110 umol/L')[0]).toMatchObject({ code: '14682-9', unit: 'umol/L' });
    expect(obs('glucose 6.1 mmol/L')[0]).toMatchObject({ code: '15074-8' });
  });

  it('converts feet and inches heights and infers temperature scale', () => {
    expect(obs('Height 5\'10"')[0]).toMatchObject({ code: '8302-2', value: 70, unit: '[in_i]' });
    expect(obs('Temp 101.3')[0]).toMatchObject({ unit: '[degF]' });
  });

  it('reads stated dates, and relative dates only with a reference time', () => {
    expect(obs('A1c 7.1% (2024-02-03)')[0]?.date).toBe('2024-02-03');
    expect(obs('LDL 99 mg/dL on March 5, 2024')[0]?.date).toBe('2024-03-05');
    expect(obs('TSH 2.0 today')[0]?.date).toBeNull();
    expect(obs('TSH 2.0 today', new Date('2024-06-01T12:00:00Z'))[0]?.date).toBe('2024-06-01');
  });

  it('ignores names without a value and implausible values', () => {
    expect(obs('Check HbA1c next visit. 24 hr urine.')).toEqual([]);
    expect(obs('HR 900')).toEqual([]);
  });

  it('does not swallow an incompatible unit', () => {
    const x = extractClinical('HR 88 in clinic').observations[0];
    expect(x).toMatchObject({ text: 'HR 88', unit: '/min' });
  });
});

describe('observations: several readings of one test', () => {
  it('reads further readings listed after the first', () => {
    expect(obs('BP 140/90 (left arm), 136/88 (right arm)').map((o) => o.value)).toEqual([140, 90, 136, 88]);
    expect(obs('K 3.1, 3.4 mmol/L').map((o) => [o.code, o.value])).toEqual([['2823-3', 3.1], ['2823-3', 3.4]]);
  });

  it('reads an earlier value in parentheses with its own date', () => {
    const o = obs('Creatinine 1.4 mg/dL (previously 1.1 mg/dL on 02/03/2024)');
    expect(o.map((x) => [x.code, x.value, x.date])).toEqual([['2160-0', 1.4, null], ['2160-0', 1.1, '2024-02-03']]);
  });

  it('reads the corrected reading when the first statement is taken back', () => {
    expect(obs('Temp felt high? Corrected to 38.2 C').map((o) => o.value)).toEqual([38.2]);
    expect(obs('Pulse was irregular; actually 88 bpm').map((o) => o.value)).toEqual([88]);
  });

  it('does not read a number followed by a word as another reading', () => {
    expect(obs('Glucose 110, 2 hours after lunch').map((o) => o.value)).toEqual([110]);
  });
});
