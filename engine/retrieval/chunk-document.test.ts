import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSections } from '../clinical/sections/find-sections.js';
import type { Chunk, ChunkableDocument } from './chunk.js';
import { chunkDocument } from './chunk-document.js';
import { countTokens } from './clinical-tokens.js';

const HEADERS = ['Medications:', 'Current medication:', 'PLAN', 'Allergies:', 'Past medical history:', 'IMPRESSION:', 'FINDINGS', 'Labs:', 'Assessment and plan:'];
const PROSE = [
  'The patient feels well today.',
  'Metformin was reduced to 500 mg twice daily because the eGFR fell below 45.',
  'She reports no chest pain, no breathlessness and no ankle swelling.',
  'Review in clinic in six months with bloods beforehand.',
  'Dr. Okafor saw him on the ward.',
];
const ROWS = ['Sodium                 139             mmol/L             133 - 146', 'HbA1c (IFCC)           64       H      mmol/mol           20 - 41', 'Potassium\t4.9\tmmol/L\t3.5 - 5.3', '| eGFR | 37 | L | mL/min |'];

const line = fc.oneof(
  fc.constantFrom(...HEADERS),
  fc.constantFrom(...ROWS),
  fc.array(fc.constantFrom(...PROSE), { minLength: 1, maxLength: 12 }).map((s) => s.join(' ')),
  fc.constant(''),
  fc.string({ maxLength: 40 }),
);
const page = fc.array(line, { minLength: 0, maxLength: 40 }).map((ls) => ls.join('\n'));
const doc = fc.array(page, { minLength: 1, maxLength: 3 }).map((pages): ChunkableDocument => ({ docId: 'd1', type: 'consultation_note', clinicalDate: '2024-01-22', title: 'Clinic letter', pages }));
const sizes = fc.record({ maxTokens: fc.integer({ min: 8, max: 400 }), overlapTokens: fc.integer({ min: 0, max: 120 }) });

function chunksOfPage(chunks: Chunk[], p: number): Chunk[] {
  return chunks.filter((c) => c.page === p);
}

describe('chunkDocument properties', () => {
  it('every range is the exact passage, inside its page, within the size limit', () => {
    fc.assert(
      fc.property(doc, sizes, (d, o) => {
        for (const c of chunkDocument(d, o)) {
          const text = d.pages[c.page - 1]!;
          expect(c.start).toBeGreaterThanOrEqual(0);
          expect(c.end).toBeLessThanOrEqual(text.length);
          expect(c.start).toBeLessThan(c.end);
          expect(text.slice(c.start, c.end)).toBe(c.text);
          expect(c.text.trim()).toBe(c.text);
          expect(c.tokens).toBeLessThanOrEqual(o.maxTokens);
        }
      }),
    );
  });

  it('chunks cover every non-space character of every page', () => {
    fc.assert(
      fc.property(doc, sizes, (d, o) => {
        const chunks = chunkDocument(d, o);
        d.pages.forEach((text, i) => {
          const covered = new Uint8Array(text.length);
          for (const c of chunksOfPage(chunks, i + 1)) covered.fill(1, c.start, c.end);
          for (let k = 0; k < text.length; k++) if (!/\s/.test(text[k]!)) expect(covered[k], `char ${k} of page ${i + 1}`).toBe(1);
        });
      }),
    );
  });

  it('a chunk never straddles a recognised section header', () => {
    fc.assert(
      fc.property(doc, sizes, (d, o) => {
        const chunks = chunkDocument(d, o);
        d.pages.forEach((text, i) => {
          const starts = findSections(text).filter((s) => s.confidence >= 0.9).map((s) => s.span.start);
          for (const c of chunksOfPage(chunks, i + 1)) for (const h of starts) expect(h <= c.start || h >= c.end, `header at ${h} inside ${c.start}-${c.end}`).toBe(true);
        });
      }),
    );
  });

  it('a table row is in a chunk whole or not at all', () => {
    fc.assert(
      fc.property(doc, sizes.filter((o) => o.maxTokens >= 30), (d, o) => {
        const chunks = chunkDocument(d, o);
        d.pages.forEach((text, i) => {
          for (const row of ROWS) {
            for (let at = text.indexOf(row); at >= 0; at = text.indexOf(row, at + 1)) {
              for (const c of chunksOfPage(chunks, i + 1)) {
                const overlaps = c.start < at + row.length && at < c.end;
                if (overlaps) expect(c.start <= at && c.end >= at + row.length, `row at ${at} cut by ${c.start}-${c.end}`).toBe(true);
              }
            }
          }
        });
      }),
    );
  });

  it('consecutive chunks of one section overlap by at most overlapTokens and always move forward', () => {
    fc.assert(
      fc.property(doc, sizes, (d, o) => {
        const chunks = chunkDocument(d, o);
        for (let i = 1; i < chunks.length; i++) {
          const a = chunks[i - 1]!;
          const b = chunks[i]!;
          if (a.page !== b.page) continue;
          expect(b.start).toBeGreaterThan(a.start);
          expect(b.end).toBeGreaterThan(a.end);
          if (b.start < a.end) expect(countTokens(d.pages[a.page - 1]!.slice(b.start, a.end))).toBeLessThanOrEqual(o.overlapTokens);
        }
        expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
      }),
    );
  });
});

describe('chunkDocument', () => {
  const letter: ChunkableDocument = {
    docId: 'p1-d3',
    type: 'consultation_note',
    clinicalDate: '2024-01-22',
    title: 'Renal clinic letter',
    pages: [
      'NORTHBRIDGE GENERAL HOSPITAL\nRenal Outpatients\n\nCurrent medication:\nMetformin 1 g twice daily\nRamipril 5 mg once daily\n\nLabs:\nSodium                 139             mmol/L             133 - 146\nPANCREAS: normal.\n\nPlan:\n1. Reduce metformin to 500 mg twice daily.',
      '2. Start dapagliflozin 10 mg once daily.\n3. Repeat U&E in 2 weeks.',
    ],
  };

  it('labels each chunk with its section, carries the last section over a page break, and splits unknown "LABEL: value" lines not', () => {
    const chunks = chunkDocument(letter);
    expect(chunks.map((c) => [c.page, c.section.kind, c.section.title])).toEqual([
      [1, 'preamble', ''],
      [1, 'medications_current', 'Current medication'],
      [1, 'labs', 'Labs'],
      [1, 'plan', 'Plan'],
      [2, 'plan', 'Plan'],
    ]);
    expect(chunks[2]!.text).toContain('PANCREAS: normal.');
    expect(chunks[4]).toMatchObject({ id: 'p1-d3#2:0', docId: 'p1-d3', docType: 'consultation_note', clinicalDate: '2024-01-22', docTitle: 'Renal clinic letter', start: 0 });
  });

  it('cuts a long section into overlapping chunks of at most maxTokens', () => {
    const sentences = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} says the dose was changed.`);
    const chunks = chunkDocument({ ...letter, pages: [`Plan:\n${sentences.join(' ')}`] }, { maxTokens: 60, overlapTokens: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.tokens).toBeLessThanOrEqual(60);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
  });

  it('cuts a sentence longer than a chunk at word boundaries', () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkDocument({ ...letter, pages: [long] }, { maxTokens: 50, overlapTokens: 0 });
    expect(chunks.length).toBe(4);
    for (const c of chunks) expect(c.text).toMatch(/^word\d+( word\d+)*$/);
  });

  it('yields nothing for blank pages', () => {
    expect(chunkDocument({ ...letter, pages: ['', '   \n\n '] })).toEqual([]);
  });
});

describe('chunkDocument edge cases', () => {
  it('cuts a word longer than a chunk between its tokens', () => {
    const d: ChunkableDocument = { docId: 'd', type: 'other', clinicalDate: null, title: '', pages: ['!!!!!!!!! ok A-B-C-D-E-F-G-H-I'] };
    const chunks = chunkDocument(d, { maxTokens: 8, overlapTokens: 0 });
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(8);
      expect(d.pages[0]!.slice(c.start, c.end)).toBe(c.text);
    }
    expect(chunks.map((c) => c.text).join('').replace(/ /g, '')).toBe('!!!!!!!!!okA-B-C-D-E-F-G-H-I');
    expect(chunks.length).toBe(5); // 8 + '! ok' + the 17-token word as 8 + 8 + 1
  });
});
