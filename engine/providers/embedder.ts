/**
 * The `Embedder` interface: text in, fixed-length Float32 vectors out. Every backend (concept,
 * onnx, bedrock) implements exactly this; callers never branch on the provider.
 *
 * Every result carries `space`, the embedder id and version, so an index refuses to mix vectors
 * from two different spaces (a re-embed is needed when the model changes).
 */
export interface EmbedOptions {
  /** At most `maxBatch` is not required: backends split larger inputs themselves. */
  texts: string[];
  signal?: AbortSignal;
}

export interface EmbedResult {
  /** One vector per input text, in input order, each of length `dimensions`. */
  vectors: Float32Array[];
  /** `<provider>:<modelId>@<version>`; vectors from different spaces must never be compared. */
  space: string;
}

export interface Embedder {
  readonly provider: string;
  readonly modelId: string;
  readonly version: string;
  readonly dimensions: number;
  /** Texts sent to the model in one call; `embed` batches larger inputs by this size. */
  readonly maxBatch: number;
  embed(options: EmbedOptions): Promise<EmbedResult>;
  /** Releases model sessions or clients the embedder owns. Safe to call twice. */
  close?(): Promise<void>;
}

/** The label put on every vector of an embedder. */
export function embeddingSpace(e: Pick<Embedder, 'provider' | 'modelId' | 'version'>): string {
  return `${e.provider}:${e.modelId}@${e.version}`;
}

/** Scales `v` to unit length in place (a zero vector stays zero) and returns it. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (sum > 0) {
    const inv = 1 / Math.sqrt(sum);
    for (let i = 0; i < v.length; i++) v[i]! *= inv;
  }
  return v;
}

/** Dot product; the cosine similarity of two L2-normalised vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}
