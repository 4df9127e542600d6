import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptableTerm, medlineIngredients, parseCsv } from './build-drug-vocab.js';
import { phraseOf, selected } from './build-condition-vocab.js';

const dict = new Set(['abate', 'today', 'water', 'aspirin', 'sodium', 'fish', 'oil', 'plan']);

describe('build-drug-vocab', () => {
  it('parses quoted CSV fields with commas, doubled quotes and newlines (property: round trip)', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\r\nd,,"x\ny"\n')).toEqual([['a', 'b, c', 'say "hi"'], ['d', '', 'x\ny']]);
    const field = fc.string({ maxLength: 12 });
    fc.assert(fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (rows) => {
      const text = rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\n');
      expect(parseCsv(text)).toEqual(rows);
    }));
  });

  it('keeps names clinicians write and drops codes, IUPAC names, analytes and everyday words', () => {
    expect(acceptableTerm('Abilify', dict, 'brand')).toBe(true);
    expect(acceptableTerm('Fluvastatin Sodium', dict, 'synonym')).toBe(true);
    expect(acceptableTerm('Aspirin', dict, 'name')).toBe(true); // a generic name that is also a dictionary word
    for (const bad of ['OPC-14597', 'MK 0683', 'N-(4-Trifluoromethyphenyl)-5-methylisoxazole-4-carboxamide', 'Abate', 'Today',
      'Water', 'Fish Oil', 'ACTH', 'Sodium', 'Cétuximab', 'Suberoyl Anilide Hydroxamic Acid', 'abc']) {
      expect(acceptableTerm(bad, dict, 'synonym'), bad).toBe(false);
    }
  });

  it('splits MedlinePlus titles into ingredients without product words', () => {
    expect(medlineIngredients('Abacavir, Dolutegravir, and Lamivudine')).toEqual(['abacavir', 'dolutegravir', 'lamivudine']);
    expect(medlineIngredients('Dorzolamide and Timolol Ophthalmic')).toEqual(['dorzolamide', 'timolol']);
    expect(medlineIngredients('Doxepin (Depression, Anxiety)')).toEqual(['doxepin']);
    expect(medlineIngredients('Abaloparatide Injection')).toEqual(['abaloparatide']);
  });
});

describe('build-condition-vocab', () => {
  it('derives the phrase a clinician writes from an ICD-10-CM title', () => {
    expect(phraseOf('Otitis media, unspecified, unspecified ear')).toBe('otitis media');
    expect(phraseOf('Pneumonia, unspecified organism')).toBe('pneumonia');
    expect(phraseOf('Essential (primary) hypertension')).toBe('essential hypertension');
    expect(phraseOf('Fracture of one rib, unspecified side, initial encounter for closed fracture')).toBe('fracture of one rib');
    expect(phraseOf('Urinary tract infection, site not specified')).toBe('urinary tract infection');
    expect(phraseOf('Other acute sinusitis')).toBeNull();
    expect(phraseOf('Acute cystitis without hematuria')).toBeNull();
    expect(phraseOf('Alcohol use, unspecified with intoxication delirium')).toBeNull();
    expect(phraseOf('Illness, unspecified')).toBeNull();
    expect(phraseOf('Sprain of unspecified ligament of unspecified ankle, initial encounter')).toBeNull();
  });

  it('never throws and never returns a phrase with commas or coding words (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (t) => {
      const p = phraseOf(t);
      if (p !== null) expect(p).not.toMatch(/[,;:]|\bunspecified\b/);
    }));
  });

  it('selects conditions clinicians write: chapters A–N and R, initial-encounter injuries, status Z codes', () => {
    expect(selected('H6692', 'Otitis media, unspecified, left ear')).toBe(true);
    expect(selected('S82891A', 'Other fracture of right lower leg, initial encounter for closed fracture')).toBe(true);
    expect(selected('S82891D', 'Other fracture of right lower leg, subsequent encounter for closed fracture with routine healing')).toBe(false);
    expect(selected('Z96651', 'Presence of right artificial knee joint')).toBe(true);
    expect(selected('V0001XA', 'Pedestrian on foot injured in collision with roller-skater, initial encounter')).toBe(false);
    expect(selected('O80', 'Encounter for full-term uncomplicated delivery')).toBe(false);
  });
});
