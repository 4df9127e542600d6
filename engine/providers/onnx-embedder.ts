/**
 * `onnx`: a local sentence embedder run by @huggingface/transformers on onnxruntime-node.
 * Files only from disk: the model folder `<modelsDir>/<modelId>/` is laid out as on the Hugging
 * Face hub (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx or
 * onnx/model_quantized.onnx). Remote loading is switched off; a missing file is `MODEL_NOT_FOUND`
 * naming the path, never a download.
 *
 * Output: mean of `last_hidden_state` over non-padding tokens, L2-normalised (the
 * sentence-transformers recipe for MiniLM/bge-style models).
 */
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WardClerkError } from '../../core/errors.js';
import { type Embedder, type EmbedOptions, type EmbedResult, embeddingSpace, l2Normalize } from './embedder.js';
import { throwIfAborted } from './throw-if-aborted.js';

export interface OnnxEmbedderOptions {
  /** Folder holding model folders (config `modelsDir`). */
  modelsDir: string;
  /** Folder name under `modelsDir`, e.g. `all-MiniLM-L6-v2`. */
  modelId: string;
  /** Which ONNX file: `fp32` → onnx/model.onnx, `q8` → onnx/model_quantized.onnx. Default: whichever exists, fp32 first. */
  dtype?: 'fp32' | 'q8';
  /** Version label for the vector space; default dtype + the ONNX file's sha256 prefix (changes when the file does). */
  version?: string;
  maxBatch?: number;
  /** Tokens per text; longer texts are truncated. Default 256. */
  maxLength?: number;
  /** onnxruntime intra-op threads; default 1 (fastest for small models on small boxes; measure). */
  threads?: number;
}

interface Tensorish {
  data: ArrayLike<number | bigint>;
  dims: number[];
}
type TokenizerFn = (texts: string[], o: { padding: boolean; truncation: boolean; max_length: number }) => Record<string, Tensorish>;
type ModelFn = ((inputs: Record<string, Tensorish>) => Promise<Record<string, Tensorish>>) & { dispose?: () => Promise<unknown> };

const FILES = { fp32: 'model.onnx', q8: 'model_quantized.onnx' } as const;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function notFound(path: string): WardClerkError {
  return new WardClerkError('MODEL_NOT_FOUND', `model file not found: ${path}`, { details: { path } });
}

class OnnxEmbedder implements Embedder {
  readonly provider = 'onnx';
  readonly modelId: string;
  readonly version: string;
  readonly dimensions: number;
  readonly maxBatch: number;
  readonly #tokenizer: TokenizerFn;
  readonly #model: ModelFn;
  readonly #maxLength: number;
  #closed = false;

  constructor(modelId: string, version: string, dimensions: number, maxBatch: number, maxLength: number, tokenizer: TokenizerFn, model: ModelFn) {
    this.modelId = modelId;
    this.version = version;
    this.dimensions = dimensions;
    this.maxBatch = maxBatch;
    this.#maxLength = maxLength;
    this.#tokenizer = tokenizer;
    this.#model = model;
  }

  async #batch(texts: string[]): Promise<Float32Array[]> {
    const inputs = this.#tokenizer(texts, { padding: true, truncation: true, max_length: this.#maxLength });
    const out = await this.#model(inputs);
    const hidden = out['last_hidden_state'];
    const mask = inputs['attention_mask'];
    if (!hidden || !mask || hidden.dims.length !== 3 || hidden.dims[2] !== this.dimensions) {
      throw new WardClerkError('MODEL_OUTPUT_INVALID', 'embedding model output is not last_hidden_state [batch, tokens, dimensions]', {
        details: { model: this.modelId, dims: hidden?.dims ?? null, expected_dimensions: this.dimensions },
      });
    }
    const [b, s, h] = hidden.dims as [number, number, number];
    const data = hidden.data as Float32Array;
    const vectors: Float32Array[] = [];
    for (let i = 0; i < b; i++) {
      const v = new Float32Array(h);
      let n = 0;
      for (let t = 0; t < s; t++) {
        if (Number(mask.data[i * s + t]) === 0) continue;
        n++;
        const off = (i * s + t) * h;
        for (let k = 0; k < h; k++) v[k]! += data[off + k]!;
      }
      if (n > 0) for (let k = 0; k < h; k++) v[k]! /= n;
      vectors.push(l2Normalize(v));
    }
    return vectors;
  }

  async embed({ texts, signal }: EmbedOptions): Promise<EmbedResult> {
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.maxBatch) {
      // Between batches only: onnxruntime cannot interrupt a running session.
      throwIfAborted(signal);
      vectors.push(...(await this.#batch(texts.slice(i, i + this.maxBatch))));
    }
    throwIfAborted(signal);
    return { vectors, space: embeddingSpace(this) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#model.dispose?.();
  }
}

/**
 * Loads the tokenizer and ONNX model from `<modelsDir>/<modelId>/`. Throws `MODEL_NOT_FOUND` (with
 * `details.path`) when a required file is missing; never fetches anything.
 */
export async function createOnnxEmbedder(options: OnnxEmbedderOptions): Promise<Embedder> {
  const dir = join(options.modelsDir, options.modelId);
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    if (!(await exists(join(dir, f)))) throw notFound(join(dir, f));
  }
  let dtype = options.dtype;
  if (!dtype) {
    if (await exists(join(dir, 'onnx', FILES.fp32))) dtype = 'fp32';
    else if (await exists(join(dir, 'onnx', FILES.q8))) dtype = 'q8';
    else throw notFound(join(dir, 'onnx', FILES.fp32));
  }
  const onnxPath = join(dir, 'onnx', FILES[dtype]);
  if (!(await exists(onnxPath))) throw notFound(onnxPath);

  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { hidden_size?: unknown };
  if (typeof config.hidden_size !== 'number') {
    throw new WardClerkError('CONFIG_INVALID', 'model config.json has no numeric hidden_size', { details: { path: join(dir, 'config.json') } });
  }
  const { env, AutoTokenizer, AutoModel } = await import('@huggingface/transformers');
  // Global switches of transformers.js: no remote hub, files resolved under modelsDir.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = options.modelsDir;
  try {
    const tokenizer = await AutoTokenizer.from_pretrained(options.modelId, { local_files_only: true });
    const model = await AutoModel.from_pretrained(options.modelId, {
      local_files_only: true,
      dtype,
      device: 'cpu',
      session_options: { intraOpNumThreads: options.threads ?? 1, interOpNumThreads: 1 },
    });
    const version = options.version ?? `${dtype}-${createHash('sha256').update(await readFile(onnxPath)).digest('hex').slice(0, 12)}`;
    return new OnnxEmbedder(
      options.modelId,
      version,
      config.hidden_size,
      options.maxBatch ?? 32,
      options.maxLength ?? 256,
      tokenizer as unknown as TokenizerFn,
      model as unknown as ModelFn,
    );
  } catch (e) {
    // The files exist (checked above), so this is a corrupt or incompatible model, not a missing one.
    throw new WardClerkError('INTERNAL', 'embedding model failed to load', { details: { path: dir, reason: 'model_load_failed' }, cause: e });
  }
}
