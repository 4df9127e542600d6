import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DosageSchema } from '../../../core/clinical/fhir-dosage.js';
import { validateTiming } from '../timing-invariants.js';
import { parseSig } from './parse-sig.js';

const WORDS = ['1', '2', 'one', 'two', 'or', '1-2', '½', '0.5', 'tab', 'tabs', 'puffs', 'drops', 'mL', 'mg', 'units', 'po', 'iv',
  'bid', 'tid', 'qds', 'q4h', 'q4-6h', 'every', '4', 'to', '6', 'hours', 'daily', 'od', 'nocte', 'prn', 'pain', 'for', '7',
  'days', 'then', 'followed', 'by', 'x2', 'weeks', 'max', '8', 'in', '24', 'hours', 'at', 'bedtime', 'with', 'meals', 'before',
  'breakfast', 'on', 'mondays', 'and', 'thursdays', 'as', 'directed', 'until', 'finished', '30', 'minutes', 'at', '8am', ',', ';',
  // Hospital wording: slot patterns, shorthand, misspellings, multiples, ranges, per-kg doses, thousands.
  '1-0-1', '2-0-1', '½-0-½', '1-1-1-1', '0-0-1', '(AF)', '(BF)', 'x', '5', 'ml', 't.d.s.', 'o.n.', '7/7', '1/52', '2/12', 'tabelt',
  'dialy', 'twise', 'bid-tid', 'up', 'qid', 'mg/kg', '15', '60,000', 'IU', 'every', 'day', 'Disp', '#20', 'Refills:', '2',
  // Meal and sleep times.
  'dinner', 'supper', 'lunch', '&', 'after', 'ac', 'night', '9pm'];

const sigLike = fc.array(fc.constantFrom(...WORDS), { maxLength: 20 }).map((w) => w.join(' '));

function checkResult(text: string): void {
  const r = parseSig(text);
  for (const span of Object.values(r.spans)) {
    expect(span.start).toBeGreaterThanOrEqual(0);
    expect(span.end).toBeLessThanOrEqual(text.length);
    expect(span.end).toBeGreaterThan(span.start);
  }
  for (const d of r.dosage) {
    expect(DosageSchema.safeParse(d).success).toBe(true);
    expect(validateTiming(d.timing ?? {})).toEqual([]);
  }
}

describe('parseSig properties', () => {
  it('never throws and always returns valid Dosage on sig-like word salad', () => {
    fc.assert(fc.property(sigLike, (text) => { checkResult(text); }), { numRuns: 400 });
  });

  it('never throws on arbitrary Unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => { checkResult(text); }), { numRuns: 300 });
  });

  it('dose and frequency spans cover text that names them', () => {
    fc.assert(fc.property(sigLike, (text) => {
      const r = parseSig(text);
      if (r.spans.dose) expect(text.slice(r.spans.dose.start, r.spans.dose.end)).toMatch(/\d|one|two|½/i);
      if (r.spans.frequency) expect(text.slice(r.spans.frequency.start, r.spans.frequency.end).trim().length).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });

  it('a day\'s named meal times set the daily count, with or without "daily"', () => {
    const meals = fc.uniqueArray(fc.constantFrom(['breakfast', 'M'], ['lunch', 'D'], ['dinner', 'V'], ['supper', 'V']), { minLength: 1, maxLength: 3, selector: ([, part]) => part });
    const relation = fc.constantFrom(['before', 'AC'], ['with', 'C'], ['after', 'PC']);
    const joiner = fc.constantFrom(' and ', ', ', ' & ');
    const daily = fc.constantFrom('', 'daily ', 'every day ');
    fc.assert(fc.property(meals, relation, joiner, daily, fc.boolean(), (named, [word, code], join, day, repeatWord) => {
      const text = `1 tab ${day}${word} ${named.map(([m], i) => (i > 0 && repeatWord ? `${word} ${m}` : m)).join(join)}`;
      const r = parseSig(text).dosage[0]!.timing!.repeat!;
      expect(r.frequency).toBe(named.length);
      expect([...(r.when ?? [])].sort()).toEqual(named.map(([, part]) => code + part).sort());
      checkResult(text);
    }), { numRuns: 300 });
  });

  it('handles 1 MB of random Unicode', () => {
    const chars: string[] = [];
    let seed = 7;
    for (let i = 0; i < 1 << 20; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      chars.push(String.fromCharCode(seed % 0xd7ff));
    }
    const text = chars.join('');
    checkResult(text);
  });
});
