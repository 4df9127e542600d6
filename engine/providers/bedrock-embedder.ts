/**
 * `bedrock`: Amazon Titan Text Embeddings V2 (`amazon.titan-embed-text-v2:0`) through Bedrock
 * InvokeModel; the BedrockRuntimeClient is injected. Titan embeds one text per call, so `maxBatch`
 * is 1 and `embed` runs up to `concurrency` calls at once. Vectors are requested normalised.
 */
import { InvokeModelCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { WardClerkError } from '../../core/errors.js';
import { type Embedder, type EmbedOptions, type EmbedResult, embeddingSpace } from './embedder.js';
import { mapAwsError } from './map-aws-error.js';
import { throwIfAborted } from './throw-if-aborted.js';

export interface BedrockEmbedderOptions {
  client: Pick<BedrockRuntimeClient, 'send'>;
  /** Default `amazon.titan-embed-text-v2:0`. */
  modelId?: string;
  /** 1024 (default), 512 or 256. */
  dimensions?: 256 | 512 | 1024;
  /** Parallel InvokeModel calls; default 4. */
  concurrency?: number;
}

class BedrockEmbedder implements Embedder {
  readonly provider = 'bedrock';
  readonly modelId: string;
  readonly version = '1';
  readonly dimensions: number;
  readonly maxBatch = 1;
  readonly #client: Pick<BedrockRuntimeClient, 'send'>;
  readonly #concurrency: number;

  constructor(o: BedrockEmbedderOptions) {
    this.modelId = o.modelId ?? 'amazon.titan-embed-text-v2:0';
    this.dimensions = o.dimensions ?? 1024;
    this.#client = o.client;
    this.#concurrency = Math.max(1, o.concurrency ?? 4);
  }

  async #one(text: string, signal?: AbortSignal): Promise<Float32Array> {
    let raw: Uint8Array | undefined;
    try {
      const r = await this.#client.send(
        new InvokeModelCommand({
          modelId: this.modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body: JSON.stringify({ inputText: text, dimensions: this.dimensions, normalize: true }),
        }),
        { abortSignal: signal },
      );
      raw = r.body;
    } catch (e) {
      throw mapAwsError(e, 'bedrock', signal);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(raw));
    } catch (e) {
      throw new WardClerkError('MODEL_OUTPUT_INVALID', 'bedrock embedding response is not JSON', { details: { provider: 'bedrock' }, cause: e });
    }
    const emb = (parsed as { embedding?: unknown }).embedding;
    if (!Array.isArray(emb) || emb.length !== this.dimensions || !emb.every((x) => typeof x === 'number')) {
      throw new WardClerkError('MODEL_OUTPUT_INVALID', 'bedrock embedding has the wrong shape', {
        details: { provider: 'bedrock', expected_dimensions: this.dimensions, length: Array.isArray(emb) ? emb.length : null },
      });
    }
    return Float32Array.from(emb as number[]);
  }

  async embed({ texts, signal }: EmbedOptions): Promise<EmbedResult> {
    throwIfAborted(signal);
    const vectors = new Array<Float32Array>(texts.length);
    let next = 0;
    const lane = async () => {
      while (next < texts.length) {
        const i = next++;
        throwIfAborted(signal);
        vectors[i] = await this.#one(texts[i]!, signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, texts.length) }, lane));
    return { vectors, space: embeddingSpace(this) };
  }
}

/** Creates the Titan embedder around an injected `BedrockRuntimeClient`. */
export function createBedrockEmbedder(options: BedrockEmbedderOptions): Embedder {
  return new BedrockEmbedder(options);
}
