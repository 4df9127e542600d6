import { describe, expect, it } from 'vitest';
import { isWardClerkError } from '../errors.js';
import { DEFAULT_CLOCK_POLICY, frequencySeconds, parseClockPolicy, tableMinIntervalMs, withPatientOverrides } from './clock-policy.js';
import { whenSeconds } from './when-codes.js';

const clock = (secs: number[]): string[] => secs.map((s) => `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String((s % 3600) / 60).padStart(2, '0')}`);

function code(fn: () => unknown): string | undefined {
  try { fn(); return undefined; } catch (e) { return isWardClerkError(e) ? e.code : 'not coded'; }
}

describe('clock-time policy', () => {
  it('has the issue 8 defaults and a minimum-interval table', () => {
    const p = parseClockPolicy(undefined);
    expect(clock(frequencySeconds(p, 1))).toEqual(['09:00']);
    expect(clock(frequencySeconds(p, 2))).toEqual(['09:00', '21:00']);
    expect(clock(frequencySeconds(p, 3))).toEqual(['08:00', '14:00', '20:00']);
    expect(clock(frequencySeconds(p, 4))).toEqual(['08:00', '12:00', '16:00', '20:00']);
    expect(p.meals).toEqual({ breakfast: '08:00', lunch: '12:30', dinner: '18:30' });
    expect(p.sleep.bedtime).toBe('22:00');
    expect([1, 2, 3, 4].map((n) => tableMinIntervalMs(p, n)! / 3_600_000)).toEqual([12, 8, 4, 3]);
    expect(tableMinIntervalMs(p, 6)).toBeNull();
  });

  it('spreads frequencies the table lacks from wake to bedtime', () => {
    expect(clock(frequencySeconds(DEFAULT_CLOCK_POLICY, 6))).toEqual(['07:00', '10:00', '13:00', '16:00', '19:00', '22:00']);
  });

  it('merges a partial tenant policy over the defaults and rejects bad ones with paths', () => {
    const p = parseClockPolicy({ frequencyTimes: { 2: ['08:00', '20:00'] }, meals: { breakfast: '07:00', lunch: '13:00', dinner: '19:00' } });
    expect(clock(frequencySeconds(p, 2))).toEqual(['08:00', '20:00']);
    expect(clock(frequencySeconds(p, 3))).toEqual(['08:00', '14:00', '20:00']);
    expect(code(() => parseClockPolicy({ frequencyTimes: { 2: ['08:00'] } }))).toBe('VALIDATION_FAILED');
    expect(code(() => parseClockPolicy({ sleep: { wake: '25:00', bedtime: '22:00' } }))).toBe('VALIDATION_FAILED');
    expect(code(() => parseClockPolicy({ surprise: true }))).toBe('VALIDATION_FAILED');
    try { parseClockPolicy({ frequencyTimes: { 3: ['08:00', '08:00', '09:00'] } }); } catch (e) {
      expect(JSON.stringify((e as { details: unknown }).details)).toContain('frequencyTimes.3');
    }
  });

  it('applies a patient\'s meal and sleep times, and rejects unknown fields', () => {
    const p = withPatientOverrides(DEFAULT_CLOCK_POLICY, { meals: { dinner: '20:00' }, sleep: { bedtime: '23:30' } });
    expect(p.meals).toEqual({ breakfast: '08:00', lunch: '12:30', dinner: '20:00' });
    expect(clock(whenSeconds(p, ['PCV']))).toEqual(['20:30']);
    expect(clock(whenSeconds(p, ['HS'], 15))).toEqual(['23:45']);
    expect(code(() => withPatientOverrides(DEFAULT_CLOCK_POLICY, { meals: { brunch: '11:00' } }))).toBe('VALIDATION_FAILED');
  });
});

describe('when codes', () => {
  const p = DEFAULT_CLOCK_POLICY;
  it.each([
    [['MORN'], ['08:00']], [['NOON'], ['12:00']], [['AFT'], ['15:00']], [['EVE'], ['18:00']], [['NIGHT'], ['21:00']],
    [['HS'], ['22:00']], [['WAKE'], ['07:00']], [['CM'], ['08:00']], [['CD'], ['12:30']], [['CV'], ['18:30']],
    [['ACM'], ['07:30']], [['ACD'], ['12:00']], [['ACV'], ['18:00']], [['PCM'], ['08:30']], [['PCD'], ['13:00']], [['PCV'], ['19:00']],
    [['C'], ['08:00', '12:30', '18:30']], [['MORN', 'ACM'], ['07:30']], [['NIGHT', 'HS'], ['22:00']],
    [['MORN', 'NIGHT', 'PC'], ['08:30', '19:00']], [['MORN', 'HS', 'AC'], ['07:30', '22:00']], [['XYZ'], []],
  ])('%j → %j', (when, times) => {
    expect(clock(whenSeconds(p, when))).toEqual(times);
  });

  it('reads offset as before AC* events and after every other event', () => {
    expect(clock(whenSeconds(p, ['ACM'], 60))).toEqual(['07:00']);
    expect(clock(whenSeconds(p, ['PCV'], 10))).toEqual(['18:40']);
    expect(clock(whenSeconds(p, ['MORN'], 30))).toEqual(['08:30']);
    expect(clock(whenSeconds({ ...p, sleep: { ...p.sleep, bedtime: '23:45' } }, ['HS'], 30))).toEqual(['00:15']);
  });
});
