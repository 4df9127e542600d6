import { describe, expect, it } from 'vitest';
import { isWardClerkError } from '../../core/errors.js';
import { createEmbedder, createExtractor, createProvider, createTextModel, KNOWN_PROVIDER_IDS } from './registry.js';

const deps = { modelsDir: '/nonexistent-models-dir', threads: 1, gpu: false as const };
const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('provider registry', () => {
  it('knows every id pattern in one table', () => {
    expect(KNOWN_PROVIDER_IDS).toEqual([
      'rules', 'llm:<model-id>', 'hybrid:<model-id>', 'llama:<file>', 'bedrock:<model-id>',
      'concept', 'onnx:<folder>', 'bedrock-embed:<model-id>', 'tesseract', 'textract',
    ]);
  });

  it('an unknown id is CONFIG_INVALID listing the known ids', async () => {
    const e = await err(createProvider('gpt-9', deps));
    expect(isWardClerkError(e) && e.code).toBe('CONFIG_INVALID');
    expect(isWardClerkError(e) && e.details['known']).toEqual(KNOWN_PROVIDER_IDS);
    expect(String((e as Error).message)).toContain('rules');
  });

  it('an id of the wrong kind is refused, listing the ids of that kind', async () => {
    const e = await err(createEmbedder('rules', deps));
    expect(isWardClerkError(e) && e.code).toBe('CONFIG_INVALID');
    expect(isWardClerkError(e) && e.details['known']).toEqual(['concept', 'onnx:<folder>', 'bedrock-embed:<model-id>']);
    expect(await err(createExtractor('llm:', deps))).toSatisfy((x: unknown) => isWardClerkError(x) && x.code === 'CONFIG_INVALID');
  });

  it('builds a Bedrock text model by id with the injected client', async () => {
    const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
    const client = new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const m = await createTextModel('bedrock:anthropic.claude-3-haiku-20240307-v1:0', { ...deps, bedrockClient: client });
    expect([m.provider, m.modelId]).toEqual(['bedrock', 'anthropic.claude-3-haiku-20240307-v1:0']);
    const x = await createExtractor('llm:bedrock:anthropic.claude-3-haiku-20240307-v1:0', { ...deps, bedrockClient: client });
    expect(x.id).toBe('llm:bedrock:anthropic.claude-3-haiku-20240307-v1:0');
    client.destroy();
  });

  it('a model id absent from the manifest is MODEL_NOT_FOUND, never a download', async () => {
    const e = await err(createExtractor('llm:qwen2.5-1.5b', deps));
    expect(isWardClerkError(e) && e.code).toBe('MODEL_NOT_FOUND');
  });
});
