import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isWardClerkError } from '../../core/errors.js';
import { createLlamaTextModel } from './llama-text-model.js';
import { describeTextModelConformance } from './text-model.conformance.js';

const model = (rel: string) => fileURLToPath(new URL(`../../../shared/models/${rel}`, import.meta.url));
const STORIES = model('stories260K/stories260K.gguf');
const RANDOM = model('llama-2-tiny-random/llama-2-tiny-random.gguf');

for (const [name, path] of [['stories260K', STORIES], ['llama-2-tiny-random', RANDOM]] as const) {
  if (!existsSync(path)) {
    describe.skip(`llama ${name}: model file absent at ${path}`, () => {});
    continue;
  }
  // threads: 1 — on this 2-core box it is ~20x faster than 2 for these tiny models (see SOURCES.md).
  describeTextModelConformance(`llama ${name}`, () => createLlamaTextModel({ modelPath: path, threads: 1, gpu: false, contextSize: 1024 }));
}

describe.runIf(existsSync(RANDOM))('llama: failure paths are coded, never crashes', () => {
  it('an unbounded string on the random model hits maxTokens → MODEL_OUTPUT_TRUNCATED', async () => {
    const m = await createLlamaTextModel({ modelPath: RANDOM, threads: 1, gpu: false, contextSize: 1024 });
    try {
      const e = await m
        .generate({
          messages: [{ role: 'user', content: 'Extract the disease.' }],
          jsonSchema: { type: 'object', properties: { disease: { type: 'string' } }, required: ['disease'] },
          maxTokens: 48,
        })
        .then(() => null, (err: unknown) => err);
      expect(isWardClerkError(e) && e.code).toBe('MODEL_OUTPUT_TRUNCATED');
      expect(isWardClerkError(e) && e.details['maxTokens']).toBe(48);
      // The model is still usable after the failure.
      const ok = await m.generate({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 4 });
      expect(ok.finishReason).toBe('length');
    } finally {
      await m.close();
    }
  });

  it('reports the chat template it resolved from the model metadata', async () => {
    const m = await createLlamaTextModel({ modelPath: RANDOM, threads: 1, gpu: false, contextSize: 512 });
    try {
      expect(m.chatTemplate.length).toBeGreaterThan(0);
      expect(m.gpuLayers).toBe(0);
      expect(m.contextSize).toBe(512);
    } finally {
      await m.close();
    }
  });

  it('a missing GGUF file is MODEL_NOT_FOUND naming the path, not a download', async () => {
    const path = RANDOM.replace('.gguf', '-absent.gguf');
    const e = await createLlamaTextModel({ modelPath: path, threads: 1, gpu: false }).then(() => null, (err: unknown) => err);
    expect(isWardClerkError(e) && e.code).toBe('MODEL_NOT_FOUND');
    expect(isWardClerkError(e) && e.details['path']).toBe(path);
  });
});
