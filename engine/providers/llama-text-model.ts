/**
 * The `llama` TextModel backend: a GGUF file on disk run by node-llama-cpp. JSON output is
 * constrained by a grammar compiled from the JSON schema; the chat template comes from the model's
 * metadata (node-llama-cpp's `auto` chat wrapper). One context sequence per model, so calls are
 * serialised in arrival order (the engine's per-model queue sits in front of this).
 */
import { LlamaChat, type ChatHistoryItem, type GbnfJsonSchema, type Llama, type LlamaContext, type LlamaJsonSchemaGrammar, type LlamaModel } from 'node-llama-cpp';
import { WardClerkError } from '../../core/errors.js';
import { throwIfAborted } from './throw-if-aborted.js';
import { loadLlamaRuntime, type LlamaGpuMode } from './llama-runtime.js';
import type { ChatMessage, GenerateOptions, GenerateResult, JsonSchema, TextModel, TextStreamEvent } from './text-model.js';
import { tokenStream } from './token-stream.js';

// Schemas arrive as runtime data, so the grammar's compile-time result type is not useful here.
type SchemaGrammar = LlamaJsonSchemaGrammar<GbnfJsonSchema>;

export interface LlamaTextModelOptions {
  /** Absolute path of a GGUF file the caller has already verified (see engine/models). */
  modelPath: string;
  /** Identity reported as `modelId`; defaults to the file name. */
  modelId?: string;
  /** CPU threads for evaluation. Pass it explicitly: on small machines the default is far slower. */
  threads: number;
  /** Defaults to min(4096, the model's training context). */
  contextSize?: number;
  /** Layers offloaded to the GPU; `auto` fits what VRAM allows. Ignored on CPU. */
  gpuLayers?: number | 'auto' | 'max';
  gpu?: LlamaGpuMode;
  /** An already loaded runtime (tests, bench); otherwise the shared one for `gpu`. */
  llama?: Llama;
}

/** Loads a GGUF model and one context; rejects with `MODEL_NOT_FOUND` / `PROVIDER_ERROR` (never a download). */
export async function createLlamaTextModel(options: LlamaTextModelOptions): Promise<LlamaTextModel> {
  const llama = options.llama ?? (await loadLlamaRuntime(options.gpu ?? 'auto'));
  const modelId = options.modelId ?? options.modelPath.split(/[\\/]/).pop() ?? options.modelPath;
  let model: LlamaModel;
  try {
    model = await llama.loadModel({
      modelPath: options.modelPath,
      gpuLayers: llama.gpu === false ? 0 : (options.gpuLayers ?? 'auto'),
    });
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException)?.code === 'ENOENT' || /no such file|not found|does not exist/i.test(String(cause));
    throw new WardClerkError(missing ? 'MODEL_NOT_FOUND' : 'PROVIDER_ERROR', `Could not load GGUF model ${options.modelPath}`, {
      details: { path: options.modelPath, provider: 'llama' },
      cause,
    });
  }
  try {
    const contextSize = options.contextSize ?? Math.min(4096, model.trainContextSize);
    const context = await model.createContext({ contextSize, threads: options.threads });
    return new LlamaTextModel(llama, model, context, modelId);
  } catch (cause) {
    await model.dispose();
    throw new WardClerkError('PROVIDER_ERROR', `Could not create a context for ${modelId}`, { details: { modelId, provider: 'llama' }, cause });
  }
}

function toHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'assistant' ? { type: 'model', response: [m.content] } : { type: m.role, text: m.content },
  );
  // generateResponse continues the last model turn; an empty one means "answer the user".
  history.push({ type: 'model', response: [] });
  return history;
}

/** A loaded GGUF model. Construct with `createLlamaTextModel`. */
export class LlamaTextModel implements TextModel {
  readonly provider = 'llama';
  readonly contextSize: number;
  readonly chatTemplate: string;
  readonly gpuLayers: number;
  private readonly chat: LlamaChat;
  private readonly grammars = new Map<string, Promise<SchemaGrammar>>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    readonly modelId: string,
  ) {
    this.contextSize = context.contextSize;
    this.chat = new LlamaChat({ contextSequence: context.getSequence() });
    this.chatTemplate = this.chat.chatWrapper.wrapperName;
    this.gpuLayers = model.gpuLayers;
  }

  generate(options: GenerateOptions): Promise<GenerateResult> {
    return this.run(options, undefined);
  }

  stream(options: GenerateOptions): AsyncIterable<TextStreamEvent> {
    return tokenStream((onToken, signal) => this.run({ ...options, signal }, onToken), options.signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    this.chat.dispose();
    await this.context.dispose();
    await this.model.dispose();
  }

  private grammarFor(schema: JsonSchema): Promise<SchemaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      const compile = this.llama.createGrammarForJsonSchema.bind(this.llama) as (s: JsonSchema) => Promise<SchemaGrammar>;
      grammar = compile(schema);
      this.grammars.set(key, grammar);
      grammar.catch(() => this.grammars.delete(key));
    }
    return grammar;
  }

  /** Serialises calls on the single sequence; a failed call does not poison the queue. */
  private run(options: GenerateOptions, onToken: ((text: string) => void) | undefined): Promise<GenerateResult> {
    const next = this.queue.then(() => this.runNow(options, onToken));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(options: GenerateOptions, onToken: ((text: string) => void) | undefined): Promise<GenerateResult> {
    if (this.closed) throw new WardClerkError('ENGINE_UNAVAILABLE', `Model ${this.modelId} is closed`, { details: { modelId: this.modelId } });
    const { signal } = options;
    throwIfAborted(signal);
    let grammar: SchemaGrammar | undefined;
    if (options.jsonSchema) {
      try {
        grammar = await this.grammarFor(options.jsonSchema);
      } catch (cause) {
        throw new WardClerkError('VALIDATION_FAILED', 'The JSON schema cannot be compiled to a grammar', { details: { modelId: this.modelId }, cause });
      }
    }
    const sequence = this.chat.sequence;
    let completionTokens = 0;
    let response;
    try {
      response = await this.chat.generateResponse(toHistory(options.messages), {
        maxTokens: options.maxTokens,
        temperature: options.temperature ?? 0,
        ...(grammar ? { grammar } : {}),
        ...(signal ? { signal } : {}),
        onToken: (tokens) => { completionTokens += tokens.length; },
        ...(onToken ? { onTextChunk: onToken } : {}),
      });
    } catch (cause) {
      if (signal?.aborted) throwIfAborted(signal);
      throw new WardClerkError('PROVIDER_ERROR', `Generation failed on ${this.modelId}`, { details: { modelId: this.modelId, provider: 'llama' }, cause });
    }
    if (response.metadata.stopReason === 'abort') throw new WardClerkError('CANCELLED', 'request cancelled', { cause: signal?.reason });
    const finishReason = response.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
    const usage = { promptTokens: Math.max(0, sequence.nextTokenIndex - completionTokens), completionTokens };
    const text = response.response;
    if (!grammar) return { text, usage, finishReason };
    if (finishReason === 'length') {
      throw new WardClerkError('MODEL_OUTPUT_TRUNCATED', `Output of ${this.modelId} reached maxTokens before the JSON was complete`, {
        details: { modelId: this.modelId, maxTokens: options.maxTokens, completionTokens },
      });
    }
    let json: unknown;
    try {
      json = grammar.parse(text);
    } catch (cause) {
      throw new WardClerkError('MODEL_OUTPUT_INVALID', `Output of ${this.modelId} is not valid JSON for the schema`, { details: { modelId: this.modelId }, cause });
    }
    return { text, json, usage, finishReason };
  }
}
