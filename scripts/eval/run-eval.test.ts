import { describe, expect, it } from 'vitest';
import { runEval, sameMed, scoreCase } from './run-eval.js';
import { extractClinical } from '../../engine/clinical/extract.js';
import { tally } from './score.js';

describe('eval runner', () => {
  it('pairs combinations as ingredient sets and a kept salt with its ingredient', () => {
    expect(sameMed({ name: 'amoxicillin / clavulanate' }, { name: 'amoxicillin-clavulanate', rxcui: null })).toBe(true);
    expect(sameMed({ name: 'metoprolol' }, { name: 'metoprolol succinate', rxcui: null })).toBe(true);
    expect(sameMed({ name: 'metoprolol' }, { name: 'metformin', rxcui: null })).toBe(false);
    expect(sameMed({ name: 'amoxicillin' }, { name: 'amoxicillin-clavulanate', rxcui: null })).toBe(false);
  });

  it('scores status, dispense_quantity and refills only where the gold annotates them', () => {
    const buckets = [{ tallies: new Map<string, ReturnType<typeof tally>>(), accs: new Map() }];
    const text = 'Stop ibuprofen 600 mg. Start lisinopril 10 mg daily. Disp #30, Refills: 2';
    scoreCase({ id: 'x', text, tags: [], expected: { medications: [
      { name: 'ibuprofen', status: 'stopped' }, { name: 'lisinopril', status: 'new', dispense_quantity: 30, refills: 2 },
    ] } }, extractClinical(text), buckets);
    const t = buckets[0]!.tallies;
    expect(t.get('medication.status')).toEqual({ tp: 2, fp: 0, fn: 0 });
    expect(t.get('medication.dispense_quantity')).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(t.get('medication.refills')).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(t.has('medication.form')).toBe(false);
  });

  it('scores a chosen group of files and breaks the report down per file', () => {
    const r = runEval({ files: ['medications-hospital'] });
    expect(r.files).toEqual(['medications-hospital.jsonl']);
    expect(Object.keys(r.by_file)).toEqual(['medications-hospital']);
    expect(runEval({ files: ['medications'], exclude: ['medications-hospital'] }).files).not.toContain('medications-hospital.jsonl');
  });
});
