/**
 * The `bedrock` TextModel backend: AWS Bedrock Converse / ConverseStream through the official SDK
 * client, injected through the constructor (tests point a real client at a loopback replay
 * server). Throttling and 5xx are retried by the client's own retry strategy (configure
 * `maxAttempts` / `retryMode` on the client); what is still failing afterwards becomes a coded
 * error by `mapAwsError` (shared with the other AWS backends): `RATE_LIMITED` (503 + `retryAfter`)
 * for throttling, `PROVIDER_ERROR` for everything else, `CANCELLED` on abort. Remote error
 * messages are not copied into ours: they can echo the prompt (PHI).
 */
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { WardClerkError } from '../../core/errors.js';
import {
  contentText,
  fromConverseOutput,
  parseStreamedToolInput,
  toConverseInput,
  toFinishReason,
  toolJson,
  toUsage,
} from './bedrock-converse-format.js';
import type { GenerateOptions, GenerateResult, TextModel, TextStreamEvent, TokenUsage } from './text-model.js';
import { mapAwsError } from './map-aws-error.js';
import { throwIfAborted } from './throw-if-aborted.js';

export interface BedrockTextModelOptions {
  client: BedrockRuntimeClient;
  /** Bedrock model id or inference profile, e.g. `anthropic.claude-3-haiku-20240307-v1:0`. */
  modelId: string;
  /** Declared context window (Bedrock does not report it); defaults to 200k. */
  contextSize?: number;
}

/** A Bedrock model behind the TextModel interface. */
export class BedrockTextModel implements TextModel {
  readonly provider = 'bedrock';
  readonly modelId: string;
  readonly contextSize: number;
  private readonly client: BedrockRuntimeClient;

  constructor(options: BedrockTextModelOptions) {
    this.client = options.client;
    this.modelId = options.modelId;
    this.contextSize = options.contextSize ?? 200_000;
  }

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    throwIfAborted(options.signal);
    let output;
    try {
      output = await this.client.send(new ConverseCommand(toConverseInput(this.modelId, options)), { abortSignal: options.signal });
    } catch (error) {
      throw mapAwsError(error, 'bedrock', options.signal);
    }
    const { content, stopReason, usage } = fromConverseOutput(output);
    return this.finish(options, contentText(content), content, stopReason, usage);
  }

  async *stream(options: GenerateOptions): AsyncGenerator<TextStreamEvent> {
    throwIfAborted(options.signal);
    // Our own controller, so a consumer that stops iterating also stops the HTTP stream.
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    let text = '';
    let stopReason: string | undefined;
    let usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
    try {
      const response = await this.client.send(new ConverseStreamCommand(toConverseInput(this.modelId, options)), { abortSignal: signal });
      for await (const event of response.stream ?? []) {
        const failure = event.throttlingException ?? event.internalServerException ?? event.modelStreamErrorException ??
          event.serviceUnavailableException ?? event.validationException;
        if (failure) throw failure;
        const delta = event.contentBlockDelta?.delta;
        const piece = delta?.text ?? delta?.toolUse?.input;
        if (piece) {
          text += piece;
          yield { type: 'token', text: piece };
        }
        if (event.messageStop) stopReason = event.messageStop.stopReason;
        if (event.metadata) usage = toUsage(event.metadata.usage);
      }
    } catch (error) {
      throw mapAwsError(error, 'bedrock', options.signal);
    } finally {
      controller.abort(new Error('stream closed'));
    }
    yield { type: 'done', ...this.finish(options, text, null, stopReason, usage) };
  }

  async close(): Promise<void> {
    // The client is injected: its owner destroys it.
  }

  /** Shared tail of both paths: finish reason, truncation and JSON extraction. `content` null = streamed tool input in `text`. */
  private finish(options: GenerateOptions, text: string, content: unknown, stopReason: string | undefined, usage: TokenUsage): GenerateResult {
    const finishReason = toFinishReason(this.modelId, stopReason);
    if (!options.jsonSchema) return { text, usage, finishReason };
    if (finishReason === 'length') {
      throw new WardClerkError('MODEL_OUTPUT_TRUNCATED', `Output of ${this.modelId} reached maxTokens before the JSON was complete`, {
        details: { provider: 'bedrock', modelId: this.modelId, maxTokens: options.maxTokens },
      });
    }
    const json = content === null ? parseStreamedToolInput(this.modelId, options.jsonSchema, text) : toolJson(this.modelId, options.jsonSchema, content);
    return { text, json, usage, finishReason };
  }
}
