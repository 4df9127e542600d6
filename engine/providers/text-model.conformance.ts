/**
 * The TextModel conformance suite (STYLE habit 10): the same tests for every backend. A backend's
 * test file calls `describeTextModelConformance` with a factory; the suite owns the model's life.
 * The schema used bounds every string (maxLength), so constrained backends always finish the JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isWardClerkError } from '../../core/errors.js';
import type { GenerateOptions, JsonSchema, TextModel, TextStreamEvent } from './text-model.js';

export const CONFORMANCE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { disease: { type: 'string', maxLength: 24 }, medication: { type: 'string', maxLength: 24 } },
  required: ['disease', 'medication'],
};
const ConformanceJson = z.object({ disease: z.string().max(24), medication: z.string().max(24) });

const ask = (content: string, extra: Partial<GenerateOptions> = {}): GenerateOptions => ({
  messages: [
    { role: 'system', content: 'You answer briefly.' },
    { role: 'user', content },
  ],
  maxTokens: 24,
  temperature: 0,
  ...extra,
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(isWardClerkError(e) ? e.code : e).toBe(code);
}

async function collect(it: AsyncIterable<TextStreamEvent>): Promise<TextStreamEvent[]> {
  const events: TextStreamEvent[] = [];
  for await (const e of it) events.push(e);
  return events;
}

export interface TextModelConformanceOptions {
  /** Tokens the backend streams for the long prompt before it could finish; mid-stream abort needs > 1. */
  longPrompt?: string;
}

export function describeTextModelConformance(name: string, open: () => Promise<TextModel>, options: TextModelConformanceOptions = {}): void {
  describe(`TextModel conformance: ${name}`, () => {
    let model: TextModel;
    beforeAll(async () => {
      model = await open();
    });
    afterAll(async () => {
      await model?.close();
    });

    it('declares its identity and context size', () => {
      expect(model.provider).toMatch(/^[a-z-]+$/);
      expect(model.modelId.length).toBeGreaterThan(0);
      expect(Number.isInteger(model.contextSize) && model.contextSize > 0).toBe(true);
    });

    it('generates text with usage and a finish reason', async () => {
      const r = await model.generate(ask('Name one common disease.'));
      expect(typeof r.text).toBe('string');
      expect(['stop', 'length']).toContain(r.finishReason);
      expect(r.json).toBeUndefined();
      expect(r.usage.promptTokens).toBeGreaterThan(0);
      expect(r.usage.completionTokens).toBeGreaterThanOrEqual(0);
      expect(r.usage.completionTokens).toBeLessThanOrEqual(24);
    });

    it('returns parsed JSON matching a bounded schema', async () => {
      for (const prompt of ['Patient with asthma on salbutamol.', 'Diabetes, metformin 500 mg BID.']) {
        const r = await model.generate(ask(`Extract the disease and the medication: ${prompt}`, { jsonSchema: CONFORMANCE_SCHEMA, maxTokens: 128 }));
        expect(ConformanceJson.safeParse(r.json).success).toBe(true);
        expect(r.finishReason).toBe('stop');
      }
    });

    it('streams tokens then exactly one done event carrying the full text', async () => {
      const events = await collect(model.stream(ask('Tell a very short story.')));
      const done = events.filter((e) => e.type === 'done');
      expect(done).toHaveLength(1);
      expect(events[events.length - 1]?.type).toBe('done');
      const tokens = events.flatMap((e) => (e.type === 'token' ? [e.text] : []));
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.join('').trim()).toBe((done[0] as { text: string }).text.trim());
    });

    it('streams JSON whose done event carries the parsed value', async () => {
      const events = await collect(model.stream(ask('Extract: asthma, salbutamol.', { jsonSchema: CONFORMANCE_SCHEMA, maxTokens: 128 })));
      const done = events[events.length - 1];
      expect(done?.type).toBe('done');
      expect(ConformanceJson.safeParse(done && done.type === 'done' ? done.json : null).success).toBe(true);
    });

    it('rejects an already aborted signal with CANCELLED', async () => {
      const signal = AbortSignal.abort(new Error('client went away'));
      await expectCode(model.generate(ask('Hello', { signal })), 'CANCELLED');
      await expectCode(collect(model.stream(ask('Hello', { signal }))), 'CANCELLED');
    });

    it('stops generation when aborted mid-stream, and keeps working afterwards', async () => {
      const controller = new AbortController();
      let tokens = 0;
      const run = (async () => {
        for await (const e of model.stream(ask(options.longPrompt ?? 'Once upon a time', { maxTokens: 400, signal: controller.signal }))) {
          if (e.type === 'token' && ++tokens === 2) controller.abort(new Error('client went away'));
        }
      })();
      await expectCode(run, 'CANCELLED');
      expect(tokens).toBeGreaterThanOrEqual(2);
      expect(tokens).toBeLessThan(400);
      const after = await model.generate(ask('Name one common disease.'));
      expect(typeof after.text).toBe('string');
    });

    it('stops when the consumer breaks out of the stream', async () => {
      let tokens = 0;
      for await (const e of model.stream(ask(options.longPrompt ?? 'Once upon a time', { maxTokens: 400 }))) {
        if (e.type === 'token' && ++tokens === 2) break;
      }
      expect(tokens).toBe(2);
      const after = await model.generate(ask('Name one common disease.', { jsonSchema: CONFORMANCE_SCHEMA, maxTokens: 128 }));
      expect(ConformanceJson.safeParse(after.json).success).toBe(true);
    });
  });
}
