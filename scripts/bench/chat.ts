/**
 * The model-free chat answerer (issue 9) for `npm run bench -- chat`: the retrieval set's patients
 * indexed with the `concept` embedder, each question asked in its own mode. Reports time to first
 * streamed delta (retrieval + the extractive answer + the first `delta` of `streamAnswer`, target
 * p99 < 200 ms) once warm, the answer alone, and the cold first answer (vocabulary loading, which
 * `warmExtractiveAnswerer` moves to start-up). Baseline: retrieval alone, the part that is not the answerer.
 * Also how many answers cite a passage that holds the set's answer (any sentence, and the first).
 */
import { streamAnswer } from '../../engine/chat/answer/answer-stream.js';
import { extractiveAnswer, warmExtractiveAnswerer } from '../../engine/chat/answer/extractive-answer.js';
import { createConceptEmbedder } from '../../engine/providers/concept-embedder.js';
import { chunkDocument } from '../../engine/retrieval/chunk-document.js';
import { embedChunks } from '../../engine/retrieval/embed-chunks.js';
import { PatientIndex } from '../../engine/retrieval/patient-index.js';
import { prepareQuery } from '../../engine/retrieval/prepare-query.js';
import { loadRetrievalSet } from '../eval/retrieval/load-retrieval-set.js';
import { answerRanges, hitsAnswer, type PassageRange } from '../eval/retrieval/score-retrieval.js';

const FIRST_DELTA_TARGET_MS = 200;

function pct(sorted: readonly number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2));
}

function summary(ms: number[]): { p50: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99), max: Number(s.at(-1)!.toFixed(2)) };
}

export async function benchChat(): Promise<Record<string, unknown>> {
  const embedder = createConceptEmbedder();
  const asks: Array<{ index: PatientIndex; question: string; mode: 'patient' | 'doctor'; answers: PassageRange[] }> = [];
  for (const r of loadRetrievalSet().records) {
    const chunks = r.documents.flatMap((d) => chunkDocument({ docId: d.doc_id, type: d.type, clinicalDate: d.clinical_date, title: d.title, pages: d.pages }));
    const { entries, space } = await embedChunks(chunks, embedder);
    const index = new PatientIndex({ patientId: r.patient.id, space, dimensions: embedder.dimensions, chunks: entries });
    const pagesOf = (id: string) => r.documents.find((d) => d.doc_id === id)?.pages;
    for (const q of r.questions) asks.push({ index, question: q.question, mode: q.asker, answers: answerRanges(q.answers, pagesOf) });
  }
  const retrieve = async (a: (typeof asks)[number]) => {
    const q = prepareQuery(a.question);
    const { vectors, space } = await embedder.embed({ texts: [q.text] });
    return a.index.search({ ...q, vector: vectors[0]!, space, k: 10 });
  };
  const t0 = performance.now();
  warmExtractiveAnswerer();
  const warmMs = performance.now() - t0;
  const firstDelta: number[] = [];
  const answerOnly: number[] = [];
  const retrievalOnly: number[] = [];
  let found = 0;
  let cites = 0;
  let firstCites = 0;
  for (const a of asks) {
    const started = performance.now();
    const passages = await retrieve(a);
    const retrieved = performance.now();
    const answer = extractiveAnswer({ question: a.question, mode: a.mode, passages });
    answerOnly.push(performance.now() - retrieved);
    const stream = streamAnswer(answer);
    await stream.next();
    firstDelta.push(performance.now() - started);
    await stream.return(undefined);
    retrievalOnly.push(retrieved - started);
    if (answer.found) found++;
    const answering = (n: number): boolean => {
      const src = answer.sources[n - 1]!;
      return hitsAnswer({ docId: src.document_id, page: src.page, start: src.start, end: src.end }, a.answers);
    };
    if (answer.sources.some((s) => answering(s.n))) cites++;
    if (answer.sentences[0]?.citations.some(answering)) firstCites++;
  }
  const first = summary(firstDelta);
  return {
    questions: asks.length,
    answered_from_records: found,
    // Quality, not speed: answers citing a passage that holds the set's answer (any sentence / the first).
    cites_an_answer_passage: cites,
    first_sentence_cites_it: firstCites,
    warm_up_ms: Number(warmMs.toFixed(1)),
    time_to_first_delta_ms: first,
    extractive_answer_ms: summary(answerOnly),
    baseline_retrieval_only_ms: summary(retrievalOnly),
    target_first_delta_p99_ms: FIRST_DELTA_TARGET_MS,
    meets_target: first.p99 < FIRST_DELTA_TARGET_MS,
  };
}
