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
