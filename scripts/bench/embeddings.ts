/**
 * Embedding throughput for `npm run bench`: the `concept` embedder (chunks/s on one core; target
 * ≥ 5,000) and the `onnx` backend with the test's tiny BERT-shaped graph (measures the
 * transformers.js + onnxruntime-node path, not a real model's speed). Both are set against a
 * baseline measured in the same run: lower-casing and word-splitting the same chunks, the least
 * work any text embedder does, so numbers compare across machines.
 */
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { createConceptEmbedder } from '../../engine/providers/concept-embedder.js';
import { createOnnxEmbedder } from '../../engine/providers/onnx-embedder.js';
import { writeTinyBertModel } from '../../test/tiny-bert-onnx.js';

const SNIPPETS = [
  'Metformin 500 mg tablet, take 1 tablet by mouth twice daily with meals for type 2 diabetes mellitus.',
  'History of myocardial infarction in 2019; on aspirin 81 mg daily and atorvastatin 40 mg at night.',
  'Hypertension, well controlled on lisinopril 10 mg once daily. BP 128/82 today.',
  'Shortness of breath on exertion. Salbutamol inhaler 2 puffs every 4 to 6 hours as needed.',
  'Amoxicillin 500 mg capsule three times daily for 7 days for otitis media. No known drug allergies.',
  'HbA1c 7.2 % on 2024-03-01; creatinine 88 umol/L; eGFR > 60. Follow up in 3 months. Dr. Jane Smith',
];

/** ~400-character chunks (the size a note is split into for indexing). */
function chunks(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const parts: string[] = [];
    for (let k = 0; parts.join(' ').length < 400; k++) parts.push(SNIPPETS[(i + k * 5) % SNIPPETS.length]!);
    return `${parts.join(' ')} (${i})`;
  });
}

function rate(n: number, ms: number): number {
  return Math.round((n / ms) * 1000);
}

export async function benchEmbeddings(options: { chunks?: number } = {}): Promise<Record<string, unknown>> {
  const texts = chunks(options.chunks ?? 20_000);

  // Baseline: lower-case and split into words.
  let sink = 0;
  for (const t of texts.slice(0, 1000)) sink += t.toLowerCase().split(/[^a-z0-9]+/).length;
  let t0 = performance.now();
  for (const t of texts) sink += t.toLowerCase().split(/[^a-z0-9]+/).length;
  const baselineMs = performance.now() - t0;

  const concept = createConceptEmbedder();
  await concept.embed({ texts: texts.slice(0, 1000) });
  t0 = performance.now();
  for (let i = 0; i < texts.length; i += concept.maxBatch) await concept.embed({ texts: texts.slice(i, i + concept.maxBatch) });
  const conceptMs = performance.now() - t0;
  const conceptRate = rate(texts.length, conceptMs);

  const result: Record<string, unknown> = {
    chunk_chars: Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length),
    baseline_split_chunks_per_s: rate(texts.length, baselineMs),
    concept_chunks_per_s: conceptRate,
    concept_target_chunks_per_s: 5000,
    concept_meets_target: conceptRate >= 5000,
    concept_vs_baseline: Number((baselineMs / conceptMs).toFixed(3)),
    concept_dimensions: concept.dimensions,
    sink: sink > 0,
  };

  const tokenizerDir = resolve(import.meta.dirname, '../../../shared/models/all-MiniLM-L6-v2');
  if (!existsSync(resolve(tokenizerDir, 'tokenizer.json'))) {
    result['onnx_skipped'] = `tokenizer not found at ${tokenizerDir}`;
    return result;
  }
  const model = await writeTinyBertModel(tokenizerDir, { hidden: 32 });
  try {
    const onnx = await createOnnxEmbedder({ modelsDir: model.modelsDir, modelId: model.modelId, maxBatch: 32, maxLength: 128 });
    const sample = texts.slice(0, 512);
    await onnx.embed({ texts: sample.slice(0, 64) });
    t0 = performance.now();
    await onnx.embed({ texts: sample });
    const onnxMs = performance.now() - t0;
    await onnx.close?.();
    result['onnx_tiny_graph_embeddings_per_s'] = rate(sample.length, onnxMs);
    result['onnx_note'] = 'tiny test graph (Gather+MatMul, hidden 32) with the real MiniLM tokenizer: measures tokenizer + runtime overhead, not a real model';
  } finally {
    await rm(model.modelsDir, { recursive: true, force: true });
  }
  return result;
}
