/**
 * A TextModel that answers from a script: a real implementation of the interface (not a mock of
 * our modules) for testing what callers do with grounded, invented and malformed model output.
 * Each call takes the next answer (the last repeats); an `Error` answer is thrown.
 */
import type { GenerateOptions, GenerateResult, TextModel, TextStreamEvent } from '../engine/providers/text-model.js';
import { WardClerkError } from '../core/errors.js';

export class ScriptedTextModel implements TextModel {
  readonly provider = 'scripted';
  readonly contextSize = 4096;
  readonly calls: GenerateOptions[] = [];
  closed = false;
  private next = 0;

  constructor(private readonly answers: unknown[], readonly modelId = 'scripted') {}

  async generate(options: GenerateOptions): Promise<GenerateResult> {
    if (options.signal?.aborted) throw new WardClerkError('CANCELLED', 'request cancelled');
    this.calls.push(options);
    const answer = this.answers[Math.min(this.next++, this.answers.length - 1)];
    if (answer instanceof Error) throw answer;
    const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
    const usage = { promptTokens: 10, completionTokens: 5 };
    if (!options.jsonSchema) return { text, usage, finishReason: 'stop' };
    return { text, json: typeof answer === 'string' ? safeParse(answer) : answer, usage, finishReason: 'stop' };
  }

  async *stream(options: GenerateOptions): AsyncGenerator<TextStreamEvent> {
    const r = await this.generate(options);
    yield { type: 'token', text: r.text };
    yield { type: 'done', ...r };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
