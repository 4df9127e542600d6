/**
 * The real transformers.js + onnxruntime-node path: the real MiniLM tokenizer from
 * ../shared/models/all-MiniLM-L6-v2 and a tiny BERT-shaped ONNX graph built by the test.
 */
import { existsSync } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { tinyWeight, writeTinyBertModel } from '../../test/tiny-bert-onnx.js';
import { dot } from './embedder.js';
import { describeEmbedderConformance } from './embedder.conformance.js';
import { createOnnxEmbedder } from './onnx-embedder.js';

const TOKENIZER_DIR = resolve(import.meta.dirname, '../../../shared/models/all-MiniLM-L6-v2');
const present = existsSync(join(TOKENIZER_DIR, 'tokenizer.json'));
if (!present) console.warn(`skipping onnx embedder tests: tokenizer not found at ${TOKENIZER_DIR}`);

describe.skipIf(!present)('onnx embedder', () => {
  let model: { modelsDir: string; modelId: string; hidden: number };
  beforeAll(async () => {
    model = await writeTinyBertModel(TOKENIZER_DIR);
  });
  afterAll(async () => {
    if (model) await rm(model.modelsDir, { recursive: true, force: true });
  });

  describeEmbedderConformance('onnx (tiny graph)', async () => {
    const embedder = await createOnnxEmbedder({ modelsDir: model.modelsDir, modelId: model.modelId, maxBatch: 2 });
    return { embedder, close: () => embedder.close?.() ?? Promise.resolve() };
  });

  it('is the attention-masked mean of last_hidden_state, L2-normalised (recomputed by hand)', async () => {
    const e = await createOnnxEmbedder({ modelsDir: model.modelsDir, modelId: model.modelId });
    try {
      const { AutoTokenizer, env } = await import('@huggingface/transformers');
      env.localModelPath = model.modelsDir;
      const tok = await AutoTokenizer.from_pretrained(model.modelId, { local_files_only: true });
      const text = 'Metformin 500 mg twice daily';
      const ids = Array.from((tok(text) as { input_ids: { data: BigInt64Array } }).input_ids.data, Number);
      const h = model.hidden;
      const expected = new Float32Array(h);
      for (const id of ids) {
        for (let k = 0; k < h; k++) {
          let s = 0;
          for (let j = 0; j < h; j++) s += (tinyWeight(0, id, j) + tinyWeight(1, 0, j)) * tinyWeight(2, j, k);
          expected[k]! += s / ids.length;
        }
      }
      const norm = Math.sqrt(dot(expected, expected));
      // Padding in a batch with a longer text must not change the vector (the mask is honoured).
      const [v] = (await e.embed({ texts: [text, `${text} and a much longer second text to force padding`] })).vectors;
      expect(ids.length).toBeGreaterThan(4);
      for (let k = 0; k < h; k++) expect(v![k]).toBeCloseTo(expected[k]! / norm, 4);
    } finally {
      await e.close?.();
    }
  });

  it('checks the signal between batches', async () => {
    const e = await createOnnxEmbedder({ modelsDir: model.modelsDir, modelId: model.modelId, maxBatch: 1 });
    try {
      const ac = new AbortController();
      const texts = ['a', 'b', 'c'];
      // Abort once the first batch has been tokenised: later batches must not run.
      const p = e.embed({ texts, signal: ac.signal });
      ac.abort();
      const err = await p.catch((x: unknown) => x);
      expect((err as WardClerkError).code).toBe('CANCELLED');
    } finally {
      await e.close?.();
    }
  });

  it('names the missing file with MODEL_NOT_FOUND and never downloads', async () => {
    const err = await createOnnxEmbedder({ modelsDir: model.modelsDir, modelId: 'no-such-model' }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(WardClerkError);
    expect((err as WardClerkError).code).toBe('MODEL_NOT_FOUND');
    expect((err as WardClerkError).details['path']).toBe(join(model.modelsDir, 'no-such-model', 'config.json'));

    // The shared MiniLM folder has tokenizer and config but no ONNX weights.
    const err2 = await createOnnxEmbedder({ modelsDir: resolve(TOKENIZER_DIR, '..'), modelId: 'all-MiniLM-L6-v2' }).catch((x: unknown) => x);
    expect((err2 as WardClerkError).code).toBe('MODEL_NOT_FOUND');
    expect((err2 as WardClerkError).details['path']).toBe(join(TOKENIZER_DIR, 'onnx', 'model.onnx'));

    const err3 = await createOnnxEmbedder({ modelsDir: model.modelsDir, modelId: model.modelId, dtype: 'q8' }).catch((x: unknown) => x);
    expect((err3 as WardClerkError).details['path']).toBe(join(model.modelsDir, model.modelId, 'onnx', 'model_quantized.onnx'));
  });

  it('labels the space with a version that changes with the model file', async () => {
    const other = await writeTinyBertModel(TOKENIZER_DIR, { hidden: 8 });
    try {
      const a = await createOnnxEmbedder({ modelsDir: model.modelsDir, modelId: model.modelId });
      const b = await createOnnxEmbedder({ modelsDir: other.modelsDir, modelId: other.modelId });
      expect(a.dimensions).toBe(16);
      expect(b.dimensions).toBe(8);
      expect(a.version).not.toBe(b.version);
      await Promise.all([a.close?.(), b.close?.()]);
    } finally {
      await rm(other.modelsDir, { recursive: true, force: true });
    }
  });

  it('reports a corrupt model file as a load failure, not a crash', async () => {
    const bad = await writeTinyBertModel(TOKENIZER_DIR);
    try {
      const file = join(bad.modelsDir, bad.modelId, 'onnx', 'model.onnx');
      await unlink(file);
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, 'not an onnx model');
      const err = await createOnnxEmbedder({ modelsDir: bad.modelsDir, modelId: bad.modelId }).catch((x: unknown) => x);
      expect((err as WardClerkError).code).toBe('INTERNAL');
      expect((err as WardClerkError).details['reason']).toBe('model_load_failed');
    } finally {
      await rm(bad.modelsDir, { recursive: true, force: true });
    }
  });
});
