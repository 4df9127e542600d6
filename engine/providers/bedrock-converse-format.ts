/**
 * Wire-format conversions between the `TextModel` options/results and Bedrock's Converse API.
 * JSON output uses a forced tool: the schema becomes the tool's input schema and `toolChoice`
 * names it, so the model must answer with a tool call whose input is the JSON. Converse requires a
 * top-level object schema, so any other schema is wrapped in `{value: …}` and unwrapped again.
 */
import type {
  ContentBlock,
  ConverseCommandInput,
  ConverseCommandOutput,
  Message,
  SystemContentBlock,
  ToolConfiguration,
} from '@aws-sdk/client-bedrock-runtime';
import { WardClerkError } from '../../core/errors.js';
import type { FinishReason, GenerateOptions, JsonSchema, TokenUsage } from './text-model.js';

/** The forced tool's name; a recorded response must use it. */
export const JSON_TOOL_NAME = 'emit_json';

/** True when `schema` had to be wrapped as `{value: schema}` for Converse. */
export function isWrappedSchema(schema: JsonSchema): boolean {
  return schema['type'] !== 'object';
}

function toolConfig(schema: JsonSchema): ToolConfiguration {
  const json = isWrappedSchema(schema) ? { type: 'object', properties: { value: schema }, required: ['value'] } : schema;
  return {
    tools: [{ toolSpec: { name: JSON_TOOL_NAME, description: 'Return the answer as JSON matching the input schema.', inputSchema: { json: json as never } } }],
    toolChoice: { tool: { name: JSON_TOOL_NAME } },
  };
}

/** Builds the Converse (and ConverseStream) request; consecutive same-role messages are merged as Converse requires. */
export function toConverseInput(modelId: string, options: GenerateOptions): ConverseCommandInput {
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  for (const m of options.messages) {
    if (m.role === 'system') {
      system.push({ text: m.content });
      continue;
    }
    const last = messages[messages.length - 1];
    if (last && last.role === m.role) last.content = [...(last.content ?? []), { text: m.content }];
    else messages.push({ role: m.role, content: [{ text: m.content }] });
  }
  return {
    modelId,
    messages,
    ...(system.length > 0 ? { system } : {}),
    inferenceConfig: { maxTokens: options.maxTokens, temperature: options.temperature ?? 0 },
    ...(options.jsonSchema ? { toolConfig: toolConfig(options.jsonSchema) } : {}),
  };
}

/** Maps a Converse stop reason; filtered or malformed output is a provider error, not a result. */
export function toFinishReason(modelId: string, stopReason: string | undefined): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'content_filtered':
    case 'guardrail_intervened':
    case 'malformed_model_output':
    case 'malformed_tool_use':
      throw new WardClerkError('PROVIDER_ERROR', `Bedrock model ${modelId} stopped without a usable answer`, {
        details: { provider: 'bedrock', modelId, stopReason },
      });
    default:
      return 'stop';
  }
}

export function toUsage(usage: { inputTokens?: number; outputTokens?: number } | undefined): TokenUsage {
  return { promptTokens: usage?.inputTokens ?? 0, completionTokens: usage?.outputTokens ?? 0 };
}

/** Text of the answer: the text blocks, or for JSON the serialised tool input. */
export function contentText(content: ContentBlock[]): string {
  const tool = content.find((b) => b.toolUse !== undefined)?.toolUse;
  if (tool) return JSON.stringify(tool.input ?? null);
  return content.map((b) => b.text ?? '').join('');
}

/** The JSON answer from the forced tool call, unwrapped; `MODEL_OUTPUT_INVALID` when there is none. */
export function toolJson(modelId: string, schema: JsonSchema, content: ContentBlock[] | unknown): unknown {
  const blocks = Array.isArray(content) ? (content as ContentBlock[]) : [];
  const tool = blocks.find((b) => b.toolUse?.name === JSON_TOOL_NAME)?.toolUse;
  if (!tool || tool.input === undefined || tool.input === null || typeof tool.input !== 'object') {
    throw new WardClerkError('MODEL_OUTPUT_INVALID', `Bedrock model ${modelId} did not return the JSON tool call`, {
      details: { provider: 'bedrock', modelId },
    });
  }
  const input = tool.input as Record<string, unknown>;
  return isWrappedSchema(schema) ? input['value'] : input;
}

/** Parses the tool input accumulated from stream deltas (a JSON string). */
export function parseStreamedToolInput(modelId: string, schema: JsonSchema, raw: string): unknown {
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch (cause) {
    throw new WardClerkError('MODEL_OUTPUT_INVALID', `Bedrock model ${modelId} streamed invalid JSON`, { details: { provider: 'bedrock', modelId }, cause });
  }
  return toolJson(modelId, schema, [{ toolUse: { name: JSON_TOOL_NAME, toolUseId: 'stream', input } }]);
}

/** The pieces of a Converse response the backend needs. */
export function fromConverseOutput(output: ConverseCommandOutput): { content: ContentBlock[]; stopReason: string | undefined; usage: TokenUsage } {
  return { content: output.output?.message?.content ?? [], stopReason: output.stopReason, usage: toUsage(output.usage) };
}
