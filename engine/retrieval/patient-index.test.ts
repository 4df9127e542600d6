import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { createConceptEmbedder } from '../providers/concept-embedder.js';
import { retrievalQuery } from './lay-terms.js';
import { PatientIndex, type SearchHit, type SearchQuery } from './patient-index.js';
import { buildIndex, embedChunks, RECORD_A } from './testing/patient-records.js';

const embedder = createConceptEmbedder();

async function ask(index: Awaited<ReturnType<typeof buildIndex>>, question: string, extra: Partial<SearchQuery> = {}): Promise<SearchHit[]> {
  const text = retrievalQuery(question);
  const { vectors, space } = await embedder.embed({ texts: [text] });
  return index.search({ text, vector: vectors[0]!, space, ...extra });
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof WardClerkError ? e.code : 'other';
  }
  return undefined;
}

describe('PatientIndex with the concept embedder', () => {
  it('answers with the passage, its document, page, range, section and both scores', async () => {
    const index = await buildIndex('pat-a', RECORD_A, embedder);
    const [top] = await ask(index, 'What dose of metformin am I on now?', { k: 3 });
    const page = RECORD_A[1]!.pages[1]!;
    expect(top).toMatchObject({ docId: 'a-d2', docType: 'consultation_note', clinicalDate: '2024-01-22', page: 2, section: { kind: 'plan', title: 'Plan' } });
    expect(page.slice(top!.start, top!.end)).toBe(top!.passage);
    expect(top!.passage).toContain('Reduce metformin to 500 mg twice daily');
    expect(top!.bm25Score).toBeGreaterThan(0);
    expect(top!.vectorScore).toBeGreaterThan(0);
    expect(top!.bm25Rank).toBe(1);
    expect(top!.score).toBeCloseTo(1 / 61 + 1 / (60 + top!.vectorRank!), 12);
  });

  it('finds a lab row for a lay question, and the three modes each rank by their own list', async () => {
    const index = await buildIndex('pat-a', RECORD_A, embedder);
    const hybrid = await ask(index, 'How are my kidneys working?', { k: 5 });
    expect(hybrid.slice(0, 3).some((h) => h.passage.includes('eGFR (CKD-EPI)         37'))).toBe(true);
    const bm25 = await ask(index, 'penicillin', { mode: 'bm25', k: 2 });
    expect(bm25[0]!.passage).toBe('Allergies: Penicillin (rash)');
    expect(bm25[0]!.vectorScore).toBeNull();
    expect(bm25[0]!.score).toBe(bm25[0]!.bm25Score);
    const vec = await ask(index, 'penicillin allergy', { mode: 'vector', k: 2 });
    expect(vec[0]!.score).toBe(vec[0]!.vectorScore);
    expect(vec[0]!.bm25Rank).toBeNull();
    expect(index.search({ text: 'penicillin', mode: 'bm25' }).length).toBeGreaterThan(0);
  });

  it('filters by document type, clinical date range and section', async () => {
    const index = await buildIndex('pat-a', RECORD_A, embedder);
    const labs = await ask(index, 'kidney', { filters: { types: ['lab_report'] } });
    expect(labs.length).toBeGreaterThan(0);
    for (const h of labs) expect(h.docType).toBe('lab_report');
    const jan = await ask(index, 'kidney', { filters: { from: '2024-01-01', to: '2024-01-10' } });
    expect(new Set(jan.map((h) => h.docId))).toEqual(new Set(['a-d3']));
    const plan = await ask(index, 'kidney', { filters: { sections: ['plan'] } });
    expect(plan.map((h) => h.section.kind)).toEqual(['plan']);
    const byTitle = await ask(index, 'kidney', { filters: { sections: ['IMPRESSION'] } });
    expect(byTitle.length).toBe(2);
    for (const h of byTitle) expect(h.section.title.toLowerCase()).toBe('impression');
    expect(await ask(index, 'kidney', { filters: { types: ['pathology_report'] } })).toEqual([]);
  });

  it('removes a document and adds chunks in place', async () => {
    const index = await buildIndex('pat-a', RECORD_A.slice(0, 2), embedder);
    const before = index.size;
    const removed = index.removeDocument('a-d2');
    expect(removed).toBeGreaterThan(0);
    expect(index.size).toBe(before - removed);
    expect(index.removeDocument('a-d2')).toBe(0);
    expect(index.documentIds()).toEqual(['a-d1']);
    for (const mode of ['bm25', 'vector', 'hybrid'] as const) for (const h of await ask(index, 'metformin plan', { mode })) expect(h.docId).not.toBe('a-d2');
    const { entries, space } = await embedChunks(RECORD_A.slice(1, 3), embedder);
    index.add(entries, space);
    index.add(entries, space); // same chunk ids: replaced, not doubled
    expect(index.size).toBe(before - removed + entries.length);
    expect(index.documentIds().sort()).toEqual(['a-d1', 'a-d2', 'a-d3']);
    expect((await ask(index, 'hydronephrosis'))[0]!.docId).toBe('a-d3');
  });

  it('refuses another embedding space (CONFLICT), a missing query vector or a bad k (VALIDATION_FAILED)', async () => {
    const index = await buildIndex('pat-a', RECORD_A, embedder);
    const { vectors } = await embedder.embed({ texts: ['metformin'] });
    expect(codeOf(() => index.search({ text: 'metformin', vector: vectors[0]!, space: 'onnx:other@1' }))).toBe('CONFLICT');
    expect(codeOf(() => index.search({ text: 'metformin' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => index.search({ text: 'metformin', mode: 'bm25', k: 0 }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => index.search({ text: 'metformin', mode: 'bm25', k: 101 }))).toBe('VALIDATION_FAILED');
    const { entries } = await embedChunks(RECORD_A.slice(0, 1), embedder);
    expect(codeOf(() => index.add(entries, 'onnx:other@1'))).toBe('CONFLICT');
    const size = index.size;
    const bad = [...entries.slice(0, 1), { chunk: { ...entries[0]!.chunk, id: 'x#1:0' }, vector: new Float32Array(3) }];
    expect(codeOf(() => index.add(bad, index.space))).toBe('VALIDATION_FAILED');
    expect(index.size).toBe(size);
  });

  it('builds in slices with the event loop running between them, into the same index as one go; a bad vector rejects', async () => {
    const { entries, space } = await embedChunks(RECORD_A, embedder);
    const options = { patientId: 'pat-a', space, dimensions: embedder.dimensions, chunks: entries };
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    // sliceMs 0: one chunk per slice, a turn of the loop after each.
    const sliced = await PatientIndex.build(options, { sliceMs: 0 });
    clearInterval(ticking);
    expect(turns).toBeGreaterThan(0);
    const whole = new PatientIndex(options);
    expect(sliced.size).toBe(whole.size);
    for (const q of ['How are my kidneys working?', 'penicillin allergy', 'metformin dose']) {
      for (const mode of ['hybrid', 'bm25', 'vector'] as const) expect(await ask(sliced, q, { mode, k: 20 })).toEqual(await ask(whole, q, { mode, k: 20 }));
    }
    expect(sliced.estimateBytes()).toBe(whole.estimateBytes());
    const bad = [...entries, { chunk: { ...entries[0]!.chunk, id: 'x#1:0' }, vector: new Float32Array(3) }];
    await expect(PatientIndex.build({ ...options, chunks: bad })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('with a time in the question, the passage from the right date rises among relevant ones', async () => {
    const visit = (docId: string, date: string, dose: string): (typeof RECORD_A)[number] => ({
      docId, type: 'consultation_note', clinicalDate: date, title: 'Diabetes review', pages: [`Plan:\nMetformin ${dose} twice daily.`],
    });
    // Document order decides ties; each index is ordered so that without the cue another passage wins.
    const oldestFirst = await buildIndex('pat-b', [visit('v1', '2022-03-01', '500 mg'), visit('v2', '2023-03-01', '1 g'), visit('v3', '2024-03-01', '850 mg'), ...RECORD_A], embedder);
    const newestFirst = await buildIndex('pat-b', [visit('v2', '2023-03-01', '1 g'), visit('v3', '2024-03-01', '850 mg'), visit('v1', '2022-03-01', '500 mg'), ...RECORD_A], embedder);
    expect((await ask(oldestFirst, 'What dose of metformin am I on now?', { k: 3 }))[0]!.docId).not.toBe('v3');
    expect((await ask(oldestFirst, 'What dose of metformin am I on now?', { recency: 'latest', k: 3 }))[0]!.docId).toBe('v3');
    expect((await ask(newestFirst, 'What dose of metformin did I start on?', { k: 3 }))[0]!.docId).not.toBe('v1');
    expect((await ask(newestFirst, 'What dose of metformin did I start on?', { recency: 'earliest', k: 3 }))[0]!.docId).toBe('v1');
    const index = oldestFirst;
    const latest = await ask(index, 'What dose of metformin am I on now?', { recency: 'latest', k: 3 });
    // Without a time the dates play no part; bm25 and vector modes ignore it.
    const plain = await ask(index, 'What dose of metformin am I on now?', { k: 3 });
    expect(plain.map((h) => h.score)).not.toEqual(latest.map((h) => h.score));
    const bm25 = await ask(index, 'metformin', { mode: 'bm25', recency: 'earliest' });
    expect(bm25).toEqual(await ask(index, 'metformin', { mode: 'bm25' }));
  });

  it('estimates its memory, growing with its chunks', async () => {
    const small = await buildIndex('pat-a', RECORD_A.slice(0, 1), embedder);
    const large = await buildIndex('pat-a', RECORD_A, embedder);
    expect(small.estimateBytes()).toBeGreaterThan(0);
    expect(large.estimateBytes()).toBeGreaterThan(small.estimateBytes());
  });
});
