import { beforeAll, describe, expect, it } from 'vitest';
import { loadRetrievalSet } from '../../../scripts/eval/retrieval/load-retrieval-set.js';
import { createConceptEmbedder } from '../../providers/concept-embedder.js';
import type { ChunkableDocument } from '../../retrieval/chunk.js';
import type { PatientIndex } from '../../retrieval/patient-index.js';
import { prepareQuery } from '../../retrieval/prepare-query.js';
import { buildIndex } from '../../retrieval/testing/patient-records.js';
import { toPlainLanguage } from '../glossary/plain-language.js';
import { sentenceFacts, sourceFacts } from './answer-facts.js';
import { type AnswerEvent, streamAnswer } from './answer-stream.js';
import type { AnswerPassage, ChatAnswer, ChatMode } from './chat-answer.js';
import { extractiveAnswer, type ExtractiveOptions, NOT_IN_RECORDS } from './extractive-answer.js';

const embedder = createConceptEmbedder();

function documentsOf(file: string): ChunkableDocument[] {
  const record = loadRetrievalSet(undefined, { files: [file] }).records[0]!;
  return record.documents.map((d) => ({ docId: d.doc_id, type: d.type, clinicalDate: d.clinical_date, title: d.title, pages: d.pages }));
}

async function retrieve(index: PatientIndex, question: string, k = 10): Promise<AnswerPassage[]> {
  const q = prepareQuery(question);
  const { vectors, space } = await embedder.embed({ texts: [q.text] });
  return index.search({ ...q, vector: vectors[0]!, space, k });
}

async function ask(index: PatientIndex, question: string, mode: ChatMode, options?: ExtractiveOptions): Promise<{ answer: ChatAnswer; passages: AnswerPassage[] }> {
  const passages = await retrieve(index, question);
  return { answer: extractiveAnswer({ question, mode, passages, ...(options ? { options } : {}) }), passages };
}

/** Every sentence cites a source that is one of the passages, and each of its facts is in a cited passage. */
function expectCitedAndGrounded(answer: ChatAnswer, passages: readonly AnswerPassage[], docs: readonly ChunkableDocument[]): void {
  expect(answer.found).toBe(true);
  expect(answer.sentences.length).toBeGreaterThan(0);
  for (const s of answer.sentences) {
    expect(s.citations.length).toBeGreaterThan(0);
    const cited = s.citations.map((n) => {
      const src = answer.sources[n - 1]!;
      const p = passages.find((x) => x.chunkId === src.chunk_id)!;
      const doc = docs.find((d) => d.docId === src.document_id)!;
      expect(doc.pages[src.page - 1]!.slice(src.start, src.end)).toBe(p.passage);
      expect(src).toMatchObject({ document_title: p.docTitle, document_type: p.docType, date: p.clinicalDate, page: p.page });
      // A patient sentence is the plain-words rewrite of a passage's words, so its facts are in the rewrite of the passage.
      return sourceFacts(`${p.docTitle}\n${p.passage}\n${toPlainLanguage(p.passage)}`, p.clinicalDate);
    });
    const facts = sentenceFacts(s.text);
    for (const n of facts.numbers) expect(cited.some((c) => c.numbers.has(n)), `${n} in "${s.text}"`).toBe(true);
    for (const d of facts.dates) expect(d.some((r) => cited.some((c) => c.dates.has(r))), `${d[0]} in "${s.text}"`).toBe(true);
  }
  expect(answer.sources.map((s) => s.n)).toEqual(answer.sources.map((_, i) => i + 1));
  expect(new Set(answer.sentences.flatMap((s) => s.citations))).toEqual(new Set(answer.sources.map((s) => s.n)));
}

describe('extractiveAnswer on records of the retrieval set', () => {
  const p01 = documentsOf('p01');
  const p05 = documentsOf('p05');
  let i01: PatientIndex;
  let i05: PatientIndex;
  beforeAll(async () => {
    i01 = await buildIndex('p01', p01, embedder);
    i05 = await buildIndex('p05', p05, embedder);
  });

  it("doctor: the current metformin dose, from the latest letter, cited, not the superseded 1 g", async () => {
    const { answer, passages } = await ask(i01, 'What dose of metformin is she on now?', 'doctor');
    expectCitedAndGrounded(answer, passages, p01);
    expect(answer.sentences[0]!.text).toMatch(/metformin 500 mg twice daily/i);
    expect(answer.sources[0]).toMatchObject({ document_id: 'p01-d5', document_type: 'consultation_note', date: '2024-07-02' });
    expect(answer.text).toMatch(/^[^[]+ \[1\]\./);
    expect(answer.grounding).toEqual({ checked: answer.sentences.length, dropped: 0 });
  });

  it('a lab row is read out with value, flag, reference range and date', async () => {
    const { answer, passages } = await ask(i01, 'What was the urine albumin creatinine ratio?', 'doctor');
    expectCitedAndGrounded(answer, passages, p01);
    expect(answer.text).toContain('Albumin:creatinine ratio 41 mg/mmol (high), reference range <3.0, on 30 Oct 2023');
  });

  it('patient: plain words, the latest sugar test first, and nothing that is not in the records', async () => {
    const { answer, passages } = await ask(i01, 'What was my last sugar test result?', 'patient');
    expectCitedAndGrounded(answer, passages, p01);
    expect(answer.sentences[0]!.text).toContain('56 mmol/mol');
    expect(answer.text).toContain('Average blood sugar over 2–3 months (HbA1c)');
    expect(answer.text).not.toMatch(/\beGFR\b(?!\))/); // always explained, never bare
    expect(answer.sentences.length).toBeLessThanOrEqual(4);
    expect(answer.requires_doctor_consultation).toBe(false);
  });

  it('patient: a pathology question answered from the pathology report', async () => {
    const { answer, passages } = await ask(i05, 'What kind of breast cancer did I have and how big was it?', 'patient');
    expectCitedAndGrounded(answer, passages, p05);
    expect(answer.sentences[0]!.text).toContain('INVASIVE DUCTAL CARCINOMA, NOTTINGHAM GRADE 2, 1.6 CM');
    expect(answer.sources[0]!.document_type).toBe('pathology_report');
  });

  it('says the records do not contain it when no passage is relevant enough, and the threshold decides', async () => {
    for (const [index, question] of [[i01, 'Have I ever had a colonoscopy?'], [i05, 'What was my potassium level?']] as const) {
      const { answer } = await ask(index, question, 'patient');
      expect(answer).toMatchObject({ found: false, text: NOT_IN_RECORDS.patient, sentences: [], sources: [] });
    }
    const doctor = await ask(i01, 'Any history of epilepsy?', 'doctor');
    expect(doctor.answer.text).toBe(NOT_IN_RECORDS.doctor);
    const passages = await retrieve(i01, 'What did the kidney ultrasound show?');
    expect(extractiveAnswer({ question: 'What did the kidney ultrasound show?', mode: 'patient', passages }).found).toBe(true);
    expect(extractiveAnswer({ question: 'What did the kidney ultrasound show?', mode: 'patient', passages, options: { minScore: 5 } }).found).toBe(false);
    expect(extractiveAnswer({ question: 'What did the kidney ultrasound show?', mode: 'patient', passages: [] }).found).toBe(false);
  });

  it('doctor mode reads 10 passages and keeps clinical terms; patient mode reads 5', async () => {
    const passages = await retrieve(i01, 'eGFR');
    const doctor = extractiveAnswer({ question: 'eGFR', mode: 'doctor', passages });
    const patient = extractiveAnswer({ question: 'eGFR', mode: 'patient', passages });
    expect(doctor.text).toMatch(/eGFR \(CKD-EPI\)/);
    expect(patient.text).not.toMatch(/CKD-EPI/);
    const rankOf = (a: ChatAnswer): number[] => a.sources.map((s) => passages.findIndex((p) => p.chunkId === s.chunk_id));
    expect(Math.max(...rankOf(patient))).toBeLessThan(5);
    const only6to10 = extractiveAnswer({ question: 'eGFR', mode: 'doctor', passages: [...passages.slice(5), ...passages.slice(0, 5)] });
    expect(extractiveAnswer({ question: 'eGFR', mode: 'patient', passages: [...passages.slice(5), ...passages.slice(0, 5)] }).sources.every((s) => passages.slice(5).some((p) => p.chunkId === s.chunk_id))).toBe(true);
    expect(only6to10.found).toBe(true);
  });

  it('two patients whose records differ by one fact never mix', async () => {
    const changed = p01.map((d) => (d.docId === 'p01-d5' ? { ...d, pages: d.pages.map((p) => p.replaceAll('metformin 500 mg twice daily', 'metformin 750 mg twice daily').replaceAll('Metformin 500 mg twice daily', 'Metformin 750 mg twice daily')) } : d));
    expect(changed.find((d) => d.docId === 'p01-d5')!.pages[0]).toContain('750 mg');
    const twin = await buildIndex('p01-twin', changed, embedder);
    const a = await ask(i01, 'What dose of metformin is she on now?', 'doctor');
    const b = await ask(twin, 'What dose of metformin is she on now?', 'doctor');
    expect(a.answer.sentences[0]!.text).toMatch(/500 mg/);
    expect(a.answer.text).not.toContain('750');
    expect(b.answer.sentences[0]!.text).toMatch(/750 mg/);
    expectCitedAndGrounded(b.answer, b.passages, changed);
    expect(b.answer.text.replaceAll('750', '500')).toBe(a.answer.text);
  });
});

describe('streamAnswer', () => {
  it('yields one delta per sentence whose texts join to the answer, then done; not-found is one delta', async () => {
    const docs = documentsOf('p01');
    const index = await buildIndex('p01', docs, embedder);
    const passages = await retrieve(index, 'What did the kidney ultrasound show?');
    const started = performance.now();
    const events: AnswerEvent[] = [];
    let firstDeltaMs = -1;
    for await (const e of streamAnswer(Promise.resolve(extractiveAnswer({ question: 'What did the kidney ultrasound show?', mode: 'patient', passages })))) {
      if (firstDeltaMs < 0) firstDeltaMs = performance.now() - started;
      events.push(e);
    }
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    const deltas = events.slice(0, -1).map((e) => (e.type === 'delta' ? e.text : ''));
    expect(deltas).toHaveLength(done.answer.sentences.length);
    expect(deltas.join('')).toBe(done.answer.text);
    expect(firstDeltaMs).toBeGreaterThanOrEqual(0);
    const none: AnswerEvent[] = [];
    for await (const e of streamAnswer(extractiveAnswer({ question: 'colonoscopy', mode: 'doctor', passages: [] }))) none.push(e);
    expect(none.map((e) => e.type)).toEqual(['delta', 'done']);
    expect(none[0]).toEqual({ type: 'delta', text: NOT_IN_RECORDS.doctor });
  });
});
