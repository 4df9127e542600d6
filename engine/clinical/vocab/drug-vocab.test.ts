import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDrugVocab } from './drug-vocab.js';

const dir = mkdtempSync(join(tmpdir(), 'wc-vocab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadDrugVocab', () => {
  it('bundles at least 300 drugs with brand → ingredient mappings', () => {
    const v = loadDrugVocab();
    expect(v.ingredients.size).toBeGreaterThanOrEqual(300);
    expect(v.terms.get('glucophage')).toMatchObject({ name: 'metformin', rxcui: '6809' });
    expect(v.terms.get('paracetamol')?.name).toBe('acetaminophen');
  });

  it('adds a TSV and an RxNorm RXNCONSO/RXNREL subset from disk', () => {
    const tsv = join(dir, 'extra.tsv');
    writeFileSync(tsv, '# local\nzuranolone\t\tZurzuvae\t\n');
    const conso = join(dir, 'RXNCONSO.RRF');
    writeFileSync(conso, [
      '999001|ENG||||||||||RXNORM|IN|999001|examplamab|||N|||',
      '999002|ENG||||||||||RXNORM|BN|999002|Examplo|||N|||',
    ].join('\n'));
    const rel = join(dir, 'RXNREL.RRF');
    writeFileSync(rel, '999002||CUI|RN|999001||CUI|tradename_of||||RXNORM||||\n');
    const v = loadDrugVocab([tsv, conso, rel]);
    expect(v.terms.get('zurzuvae')?.name).toBe('zuranolone');
    expect(v.terms.get('examplamab')).toEqual({ name: 'examplamab', rxcui: '999001' });
    expect(v.terms.get('examplo')?.name).toBe('examplamab');
  });

  it('throws CONFIG_INVALID for a missing file', () => {
    expect(() => loadDrugVocab([join(dir, 'missing.tsv')])).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('bundled vocabulary breadth and sources', () => {
  const v = loadDrugVocab();
  const sourceOf = (term: string): string | undefined => v.terms.get(term)?.source;

  it('holds at least 10,000 distinct names (ingredients, brands, synonyms), each entry with its source', () => {
    expect(v.terms.size).toBeGreaterThanOrEqual(10_000);
    const kinds = new Set([...v.ingredients.values()].map((e) => e.source?.split(':')[0]));
    expect(kinds).toEqual(new Set(['curated', 'medlineplus', 'mesh', 'drugbank']));
    expect(sourceOf('ziagen')).toBe('medlineplus:a699012');
  });

  it('maps Indian and UK hospital brands, combinations and product kinds to one canonical name', () => {
    expect(v.terms.get('dolo')?.name).toBe('acetaminophen');
    expect(v.terms.get('crocin')?.name).toBe('acetaminophen');
    expect(v.terms.get('augmentin')?.name).toBe('amoxicillin-clavulanate');
    expect(v.terms.get('co-amoxiclav')?.name).toBe('amoxicillin-clavulanate');
    expect(v.terms.get('montair-lc')?.name).toBe('montelukast-levocetirizine');
    expect(v.terms.get('glycomet')?.name).toBe('metformin');
    expect(v.terms.get('shelcal')?.name).toBe('calcium carbonate-cholecalciferol');
    expect(v.terms.get('nexplanon')?.name).toBe('etonogestrel');
    expect(v.terms.get('nuvaring')?.name).toBe('etonogestrel-ethinyl estradiol');
    expect(v.terms.get('fostair')?.name).toBe('beclomethasone-formoterol');
    // RxCUIs of the hand-checked list survive.
    expect(v.terms.get('glycomet')?.rxcui).toBe('6809');
  });

  it('marks short or everyday-word brands strict and keeps research codes, IUPAC names and lab analytes out', () => {
    expect(v.strict.has('pan')).toBe(true);
    expect(v.strict.has('dolo')).toBe(true);
    for (const t of ['opc-14597', 'opc 14597', 'potassium', 'glucose', 'lactate', 'oxygen', 'water', 'abate', 'today', 'thyroid', 'tuberculin']) expect(v.terms.has(t), t).toBe(false);
    for (const [term, entry] of v.terms) {
      if (entry.source === 'curated') continue;
      expect(term, `${term} (${entry.source})`).not.toMatch(/[()[\],]/);
    }
  });

  it('never lets a DrugBank-only compound own a name a common medicine uses', () => {
    for (const t of ['aspirin', 'metformin', 'salbutamol', 'paracetamol', 'amoxicillin', 'omeprazole']) {
      expect(v.terms.get(t)?.source, t).toBe('curated');
    }
    expect(v.terms.get('abacavir')?.source).toMatch(/^medlineplus:/);
  });
});
