import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyBertModel } from '../../../test/tiny-bert-onnx.js';
import { defaultEvalEmbedders, type EvalEmbedder, runRetrievalEval } from './run-retrieval-eval.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');
const SHARED_MODELS = resolve(import.meta.dirname, '../../../../shared/models');
const MINILM = join(SHARED_MODELS, 'all-MiniLM-L6-v2');
const TOKENIZER_PRESENT = existsSync(join(MINILM, 'tokenizer.json'));
const WEIGHTS_PRESENT = ['model.onnx', 'model_quantized.onnx'].some((f) => existsSync(join(MINILM, 'onnx', f)));
const cleanup: string[] = [];
afterAll(async () => {
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

async function closeAll(embedders: readonly EvalEmbedder[]): Promise<void> {
  for (const e of embedders) if ('embedder' in e) await e.embedder.close?.();
}

describe('npm run eval -- retrieval', () => {
  it('scores every mode per embedder on the set, with the target and the misses', async () => {
    const embedders = await defaultEvalEmbedders([join(tmpdir(), 'no-models-here')]);
    const report = await runRetrievalEval({ dir: FIXTURES, embedders, failures: true });
    expect(report.set).toMatchObject({ files: 2, patients: 2, documents: 4, questions: 3, skipped: [] });
    expect(report.set.chunks).toBeGreaterThan(6);
    expect(report.target).toEqual({ hybrid_recall_at_5: 0.9 });
    const concept = report.embedders['concept']!;
    expect(concept.space).toBe('concept:clinical-concepts@1');
    // s01-q2 shares no word with its answer: BM25 cannot find it; the other two are found first.
    expect(concept.bm25).toMatchObject({ questions: 3, recall_at_5: 0.6667, mrr_at_10: 0.6667 });
    expect(concept.hybrid!.recall_at_5).toBeGreaterThanOrEqual(0.6667);
    expect(concept.hybrid_by_asker!['patient']).toMatchObject({ questions: 2, recall_at_5: 1 });
    expect(concept.meets_target).toBe(concept.hybrid!.recall_at_5 >= 0.9);
    expect(concept.hybrid_misses!.every((id) => id === 's01-q2')).toBe(true);
    expect(report.embedders['onnx:all-MiniLM-L6-v2']!.skipped).toMatch(/no ONNX weights/);
    await closeAll(embedders);
  });

  it('selects files, and lists files that are not the set format instead of failing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wc-retrieval-set-'));
    cleanup.push(dir);
    await copyFile(join(FIXTURES, 's01.json'), join(dir, 's01.json'));
    await copyFile(join(FIXTURES, 's02.json'), join(dir, 's02.json'));
    await writeFile(join(dir, 's03.json'), '{"patient": ');
    await writeFile(join(dir, 's04.json'), JSON.stringify({ patient: { id: 's04' }, documents: [], questions: [{ id: 'q', question: 'x', asker: 'nurse', answers: [] }] }));
    const embedders = await defaultEvalEmbedders([]);
    const report = await runRetrievalEval({ dir, embedders, exclude: ['s01'] });
    expect(report.set.patients).toBe(1);
    expect(report.set.skipped.map((s) => [s.file, s.reason.split(':')[0]])).toEqual([['s03.json', 'not JSON'], ['s04.json', "not the set's format"]]);
    expect(report.embedders['concept']!.hybrid).toMatchObject({ questions: 1, recall_at_5: 1 });
  });

  it.skipIf(!TOKENIZER_PRESENT)('runs the ONNX embedder when its folder has weights (tiny BERT-shaped graph, real MiniLM tokenizer)', async () => {
    const model = await writeTinyBertModel(MINILM, { modelId: 'all-MiniLM-L6-v2', hidden: 32 });
    cleanup.push(model.modelsDir);
    const embedders = await defaultEvalEmbedders([model.modelsDir]);
    const report = await runRetrievalEval({ dir: FIXTURES, embedders });
    const onnx = report.embedders['onnx:all-MiniLM-L6-v2']!;
    expect(onnx.skipped).toBeUndefined();
    expect(onnx.space).toMatch(/^onnx:all-MiniLM-L6-v2@fp32-/);
    expect(onnx.vector!.questions).toBe(3);
    // BM25 does not depend on the embedder.
    expect(onnx.bm25).toEqual(report.embedders['concept']!.bm25);
    await closeAll(embedders);
  });

  if (!WEIGHTS_PRESENT) console.log(`retrieval eval: real all-MiniLM-L6-v2 test skipped: no onnx/model.onnx or onnx/model_quantized.onnx under ${MINILM}`);
  it.skipIf(!WEIGHTS_PRESENT)('runs the real all-MiniLM-L6-v2 from ../shared/models', async () => {
    const embedders = await defaultEvalEmbedders([SHARED_MODELS]);
    const report = await runRetrievalEval({ dir: FIXTURES, embedders });
    const onnx = report.embedders['onnx:all-MiniLM-L6-v2']!;
    expect(onnx.space).toMatch(/^onnx:all-MiniLM-L6-v2@/);
    expect(onnx.hybrid_by_asker!['patient']!.recall_at_5).toBe(1);
    await closeAll(embedders);
  });
});
