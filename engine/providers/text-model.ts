/**
 * The `TextModel` interface: one small spec every text-generation backend implements (llama for
 * GGUF files on disk, bedrock for AWS Converse). Callers never branch on the backend; they read its
 * identity (`provider`, `modelId`) and declared limit (`contextSize`) and call `generate` / `stream`
 * with one options object carrying an `AbortSignal`.
 *
 * Error contract (every backend): an aborted signal → WardClerkError `CANCELLED`; with a
 * `jsonSchema`, output cut off by `maxTokens` → `MODEL_OUTPUT_TRUNCATED`, output that does not
 * parse → `MODEL_OUTPUT_INVALID`; a remote failure after retries → `PROVIDER_ERROR` (or
 * `OVERLOADED` with `retryAfter` when the provider keeps throttling). Nothing else escapes.
 */

/** A JSON Schema object (the subset both backends accept: object/array/string/number/boolean/null, enum, maxLength, maxItems). */
export type JsonSchema = Record<string, unknown>;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface GenerateOptions {
  messages: ChatMessage[];
  /** When set the output is constrained to (llama) or requested as (bedrock) JSON matching it; the result carries `json`. */
  jsonSchema?: JsonSchema;
  maxTokens: number;
  /** 0 = greedy (the default). */
  temperature?: number;
  signal?: AbortSignal;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** `stop`: the model ended on its own (or a stop sequence / forced tool); `length`: `maxTokens` reached. */
export type FinishReason = 'stop' | 'length';

export interface GenerateResult {
  text: string;
  /** Parsed JSON, present exactly when `jsonSchema` was given. Still `unknown`: callers validate it. */
  json?: unknown;
  usage: TokenUsage;
  finishReason: FinishReason;
}

/** Streaming events, a union on `type`: tokens as they come, then exactly one `done` with the full result. */
export type TextStreamEvent = { type: 'token'; text: string } | ({ type: 'done' } & GenerateResult);

export interface TextModel {
  /** Backend name, e.g. `llama`, `bedrock`. */
  readonly provider: string;
  /** Model identity within the provider (manifest id, file name or Bedrock model id). */
  readonly modelId: string;
  /** Context window in tokens (prompt + completion). */
  readonly contextSize: number;
  generate(options: GenerateOptions): Promise<GenerateResult>;
  /** Ends after the `done` event; breaking out of the loop stops generation. */
  stream(options: GenerateOptions): AsyncIterable<TextStreamEvent>;
  /** Releases native memory / sockets. Idempotent. */
  close(): Promise<void>;
}
