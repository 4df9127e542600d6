/**
 * `npm run eval -- retrieval`: chunks every patient record of the retrieval set, embeds the
 * chunks with each embedder, builds one `PatientIndex` per patient and asks each question in
 * three modes (BM25 alone, vectors alone, hybrid). Reports recall@5, recall@10 and MRR@10 per
 * mode and embedder against the target (hybrid recall@5 ≥ 0.90). Retrieval is per
 * patient, as in the product: a question only ever searches its own patient's index.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../../../engine/providers/embedder.js';
import { createConceptEmbedder } from '../../../engine/providers/concept-embedder.js';
import { createOnnxEmbedder } from '../../../engine/providers/onnx-embedder.js';
import { type ChunkOptions, chunkDocument } from '../../../engine/retrieval/chunk-document.js';
import { embedChunks } from '../../../engine/retrieval/embed-chunks.js';
import { PatientIndex, type SearchMode } from '../../../engine/retrieval/patient-index.js';
import { prepareQuery } from '../../../engine/retrieval/prepare-query.js';
import { type FileSelection, loadRetrievalSet, RETRIEVAL_SET_DIR, type RetrievalRecord } from './load-retrieval-set.js';
import { answerRanges, firstHitRank, type RankSummary, summarizeRanks } from './score-retrieval.js';

export const RETRIEVAL_TARGET = { hybrid_recall_at_5: 0.9 } as const;
const MODES: readonly SearchMode[] = ['bm25', 'vector', 'hybrid'];
const DEPTH = 10;

export type EvalEmbedder = { label: string; embedder: Embedder } | { label: string; skipped: string };

export interface EmbedderReport {
  space?: string;
  skipped?: string;
  bm25?: RankSummary;
  vector?: RankSummary;
  hybrid?: RankSummary;
  hybrid_by_asker?: Record<string, RankSummary>;
  meets_target?: boolean;
  /** With `failures`: questions hybrid did not answer within rank 5. */
  hybrid_misses?: string[];
}

export interface RetrievalEvalReport {
  set: { dir: string; files: number; skipped: Array<{ file: string; reason: string }>; patients: number; documents: number; questions: number; chunks: number; chunk_tokens_mean: number; chunk_tokens_max: number };
  chunking: { max_tokens: number; overlap_tokens: number };
  target: typeof RETRIEVAL_TARGET;
  embedders: Record<string, EmbedderReport>;
}

export interface RetrievalEvalOptions extends FileSelection {
  dir?: string;
  embedders: readonly EvalEmbedder[];
  chunking?: ChunkOptions;
  failures?: boolean;
}

const MODEL_ID = 'all-MiniLM-L6-v2';

/**
 * `concept`, and the ONNX MiniLM from the first of `modelsDirs` that holds its weights (else a
 * skip naming the folders looked in).
 */
export async function defaultEvalEmbedders(modelsDirs: readonly string[]): Promise<EvalEmbedder[]> {
  const out: EvalEmbedder[] = [{ label: 'concept', embedder: createConceptEmbedder() }];
  const label = `onnx:${MODEL_ID}`;
  const hasWeights = (dir: string): boolean => ['model.onnx', 'model_quantized.onnx'].some((f) => existsSync(join(dir, MODEL_ID, 'onnx', f)));
  const modelsDir = modelsDirs.find(hasWeights);
  if (modelsDir === undefined) {
    out.push({ label, skipped: `no ONNX weights (onnx/model.onnx or onnx/model_quantized.onnx) under ${modelsDirs.map((d) => join(d, MODEL_ID)).join(', ')}` });
  } else {
    // MiniLM reads 512 positions; chunks run to ~400 word pieces, so the default 256 would cut them.
    out.push({ label, embedder: await createOnnxEmbedder({ modelsDir, modelId: MODEL_ID, maxLength: 512 }) });
  }
  return out;
}

interface PatientRun {
  ranks: Record<SearchMode, Array<number | null>>;
  askers: string[];
  ids: string[];
}

async function runPatient(record: RetrievalRecord, embedder: Embedder, chunking: Required<ChunkOptions>): Promise<PatientRun & { chunks: number[] }> {
  const docs = new Map(record.documents.map((d) => [d.doc_id, d]));
  const chunks = record.documents.flatMap((d) =>
    chunkDocument({ docId: d.doc_id, type: d.type, clinicalDate: d.clinical_date, title: d.title, pages: d.pages }, chunking),
  );
  const { entries, space } = await embedChunks(chunks, embedder);
  const index = new PatientIndex({ patientId: record.patient.id, space, dimensions: embedder.dimensions, chunks: entries });
  const queries = record.questions.map((x) => prepareQuery(x.question));
  const q = await embedder.embed({ texts: queries.map((x) => x.text) });
  const run: PatientRun = { ranks: { bm25: [], vector: [], hybrid: [] }, askers: [], ids: [] };
  record.questions.forEach((question, i) => {
    const answers = answerRanges(question.answers, (id) => docs.get(id)?.pages);
    for (const mode of MODES) {
      const hits = index.search({ ...queries[i]!, vector: q.vectors[i]!, space: q.space, k: DEPTH, mode });
      run.ranks[mode].push(firstHitRank(hits, answers));
    }
    run.askers.push(question.asker);
    run.ids.push(question.id);
  });
  return { ...run, chunks: chunks.map((c) => c.tokens) };
}

/** Runs the evaluation; see the file comment. */
export async function runRetrievalEval(options: RetrievalEvalOptions): Promise<RetrievalEvalReport> {
  const dir = options.dir ?? RETRIEVAL_SET_DIR;
  const set = loadRetrievalSet(dir, options);
  const chunking: Required<ChunkOptions> = { maxTokens: options.chunking?.maxTokens ?? 300, overlapTokens: options.chunking?.overlapTokens ?? 60 };
  const report: RetrievalEvalReport = {
    set: {
      dir,
      files: set.records.length + set.skipped.length,
      skipped: set.skipped,
      patients: set.records.length,
      documents: set.records.reduce((n, r) => n + r.documents.length, 0),
      questions: set.records.reduce((n, r) => n + r.questions.length, 0),
      chunks: 0,
      chunk_tokens_mean: 0,
      chunk_tokens_max: 0,
    },
    chunking: { max_tokens: chunking.maxTokens, overlap_tokens: chunking.overlapTokens },
    target: RETRIEVAL_TARGET,
    embedders: {},
  };
  for (const e of options.embedders) {
    if ('skipped' in e) {
      report.embedders[e.label] = { skipped: e.skipped };
      continue;
    }
    const all: PatientRun = { ranks: { bm25: [], vector: [], hybrid: [] }, askers: [], ids: [] };
    const tokens: number[] = [];
    for (const record of set.records) {
      const r = await runPatient(record, e.embedder, chunking);
      for (const mode of MODES) all.ranks[mode].push(...r.ranks[mode]);
      all.askers.push(...r.askers);
      all.ids.push(...r.ids);
      tokens.push(...r.chunks);
    }
    report.set.chunks = tokens.length;
    report.set.chunk_tokens_mean = tokens.length ? Math.round(tokens.reduce((a, b) => a + b, 0) / tokens.length) : 0;
    report.set.chunk_tokens_max = tokens.reduce((a, b) => Math.max(a, b), 0);
    const hybrid = summarizeRanks(all.ranks.hybrid);
    const byAsker: Record<string, RankSummary> = {};
    for (const asker of new Set(all.askers)) byAsker[asker] = summarizeRanks(all.ranks.hybrid.filter((_, i) => all.askers[i] === asker));
    report.embedders[e.label] = {
      space: (await e.embedder.embed({ texts: [''] })).space,
      bm25: summarizeRanks(all.ranks.bm25),
      vector: summarizeRanks(all.ranks.vector),
      hybrid,
      hybrid_by_asker: byAsker,
      meets_target: hybrid.recall_at_5 >= RETRIEVAL_TARGET.hybrid_recall_at_5,
      ...(options.failures ? { hybrid_misses: all.ids.filter((_, i) => { const r = all.ranks.hybrid[i]; return r === null || r === undefined || r > 5; }) } : {}),
    };
  }
  return report;
}
