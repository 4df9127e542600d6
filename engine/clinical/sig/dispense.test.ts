import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DispenseRequestSchema } from '../../../core/clinical/extraction.js';
import { blankSpans, dispenseRequest, scanDispense } from './dispense.js';
import { repairTypos } from './typos.js';

const read = (t: string) => scanDispense(t, 0, t.length);

describe('dispense quantity, refills and supply', () => {
  it.each([
    ['Disp #20', 20, null], ['Qty: 30', 30, null], ['#30', 30, null], ['Refills: 2', null, 2], ['RF x2', null, 2],
    ['no refills', null, 0], ['Disp: 28 tabs', 28, null], ['Supply: 28 tablets', 28, null], ['Qty: 90, Refills: 3', 90, 3],
    ['Disp: #30 (thirty)\nRefills: 0', 30, 0], ['2 refills', null, 2], ['Repeats: 5', null, 5],
    ['#20 1 po bid x10d RF0', 20, 0], ['#90, 3RF', 90, 3],
  ])('%s', (text, qty, refills) => {
    const d = read(text);
    expect(d.quantity?.value ?? null).toBe(qty);
    expect(d.refills?.value ?? null).toBe(refills);
    for (const s of d.spans) expect(text.slice(s.start, s.end).trim().length).toBeGreaterThan(0);
  });

  it('reads days of supply into expectedSupplyDuration, not a quantity', () => {
    const d = read('30 day supply, no refills');
    expect(d.quantity).toBeNull();
    expect(dispenseRequest(d, null)).toEqual({ numberOfRepeatsAllowed: 0,
      expectedSupplyDuration: { value: 30, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } });
  });

  it('never takes a dose instruction for a refill or a quantity', () => {
    expect(read('may repeat x1 in 2 hours').refills).toBeNull();
    expect(read('1 tab po bid x 30 days').quantity).toBeNull();
  });

  it('builds a FHIR dispenseRequest with the form as the unit of a bare count', () => {
    const r = dispenseRequest(read('Disp #20 RF x2'), 'tablet');
    expect(DispenseRequestSchema.parse(r)).toEqual({
      quantity: { value: 20, unit: 'tablets', system: 'http://unitsofmeasure.org', code: '{tablet}' }, numberOfRepeatsAllowed: 2,
    });
    expect(dispenseRequest(read('take 1 daily'), 'tablet')).toBeNull();
  });

  it('blanking keeps the length (property) and spans stay inside the text', () => {
    const words = fc.constantFrom('Disp', '#', '20', 'Qty:', '30', 'Refills:', '2', 'RF', 'x2', 'no', 'refills', 'supply', 'day',
      '1', 'tab', 'po', 'bid', ',', '(thirty)', 'tabs', 'repeat', '\n');
    fc.assert(fc.property(fc.array(words, { maxLength: 14 }), fc.string({ maxLength: 20 }), (ws, junk) => {
      const text = `${junk}${ws.join(' ')}`;
      const d = scanDispense(text, junk.length, text.length);
      for (const s of d.spans) {
        expect(s.start).toBeGreaterThanOrEqual(junk.length);
        expect(s.end).toBeLessThanOrEqual(text.length);
      }
      expect(blankSpans(text, 0, d.spans)).toHaveLength(text.length);
      const r = dispenseRequest(d, 'tablet');
      if (r) expect(DispenseRequestSchema.safeParse(r).success).toBe(true);
    }), { numRuns: 400 });
  });
});

describe('misspelling repair', () => {
  it('repairs common misspellings and keeps every offset', () => {
    expect(repairTypos('1 tabelt dialy')).toBe('1 tablet daily');
    expect(repairTypos('one twise a day')).toBe('one twice a day');
    expect(repairTypos('tablets daily')).toBe('tablets daily');
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => { expect(repairTypos(s.toLowerCase())).toHaveLength(s.toLowerCase().length); }), { numRuns: 300 });
  });
});
