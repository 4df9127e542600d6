import { describe, expect, it } from 'vitest';
import type { Extraction } from '../core/clinical/extraction.js';
import { PAGE_JOINER } from '../core/documents/records.js';
import { locate, mergeExtractions, windowsOf } from './document-analyze.js';
import { documentChunks, storedChunk } from './document-index.js';

const empty = (over: Partial<Extraction> = {}): Extraction => ({
  extractor: 'rules', extractor_version: '1', latency_ms: 1, sections: [], diseases: [], medications: [], observations: [], doctor: null,
  allergies: [], warnings: [], ...over,
});
const disease = (start: number, end: number) => ({ text: 't', display: 'd', code: null, assertion: 'present' as const, span: { start, end }, confidence: 0.9 });

describe('tier 2 windows and locations', () => {
  const pages = [{ page: 1, text: 'a'.repeat(10) }, { page: 2, text: 'b'.repeat(10) }, { page: 3, text: 'c'.repeat(30) }];

  it('groups whole pages up to the window size and knows each window\'s offset in the whole text', () => {
    const w = windowsOf(pages, 25);
    expect(w.map((x) => x.pages.map((p) => p.page))).toEqual([[1, 2], [3]]);
    expect(w[1]!.offset).toBe(10 + PAGE_JOINER.length + 10 + PAGE_JOINER.length);
  });

  it('maps a span in the whole text to its page and in-page range', () => {
    const third = 10 + 2 + 10 + 2;
    const x = mergeExtractions([empty({ diseases: [disease(12, 15)] }), empty({ diseases: [disease(third + 5, third + 9)] })]);
    expect(locate(x, pages)).toEqual([
      { path: 'diseases[0]', page: 2, start: 0, end: 3 },
      { path: 'diseases[1]', page: 3, start: 5, end: 9 },
    ]);
  });
});

describe('tier 3 chunks', () => {
  it('come from the retrieval chunker: inside one page and section, exact ranges, stable ids, stored with their place and title', () => {
    const page1 = 'Discharge summary\n\nMedications:\nMetformin 500 mg twice daily.\nAtorvastatin 20 mg at night.\n\nPlan:\nReview in two weeks.';
    const out = documentChunks({ documentId: 'doc_X', type: 'discharge_summary', clinicalDate: '2026-11-28', pages: [{ page: 1, text: page1 }, { page: 2, text: 'HbA1c 8.1 %' }] })
      .map((c, i) => storedChunk(c, i));
    for (const chunk of out) expect(chunk.text).toBe((chunk.page === 1 ? page1 : 'HbA1c 8.1 %').slice(chunk.start, chunk.end));
    expect(out.map((c) => c.seq)).toEqual(out.map((_, i) => i));
    expect(out.at(-1)).toMatchObject({ page: 2, chunk_id: 'doc_X#2:0', document_id: 'doc_X', doc_type: 'discharge_summary', clinical_date: '2026-11-28', doc_title: 'Discharge summary' });
    const meds = out.find((c) => c.text.includes('Metformin'))!;
    expect(meds.text).not.toContain('Review in two weeks');
    expect(new Set(out.map((c) => c.chunk_id)).size).toBe(out.length);
  });
});
