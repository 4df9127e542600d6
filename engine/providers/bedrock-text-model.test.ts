import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { isWardClerkError } from '../../core/errors.js';
import { bedrockReplayHandler, RECORDED_JSON } from '../../test/bedrock-replay-handler.js';
import { startReplayServer } from '../../test/replay-server.js';
import { BedrockTextModel } from './bedrock-text-model.js';
import { CONFORMANCE_SCHEMA, describeTextModelConformance } from './text-model.conformance.js';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const credentials = { accessKeyId: 'AKIDREPLAYTEST', secretAccessKey: 'replay-secret' };

describeTextModelConformance('bedrock (recorded)', async () => {
  const client = new BedrockRuntimeClient({ region: 'us-east-1', credentials, requestHandler: bedrockReplayHandler() as never });
  return new BedrockTextModel({ client, modelId: MODEL });
});

const ask = { messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Extract: asthma, salbutamol.' }], maxTokens: 64 };
const converseOk = {
  status: 200,
  body: {
    output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'emit_json', input: RECORDED_JSON } }] } },
    stopReason: 'tool_use',
    usage: { inputTokens: 20, outputTokens: 10, totalTokens: 30 },
    metrics: { latencyMs: 100 },
  },
};

describe('bedrock over a loopback replay server (real SDK client and HTTP)', () => {
  const client = (url: string) => new BedrockRuntimeClient({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 3 });

  it('sends a forced tool call for JSON and unwraps the tool input', async () => {
    await using server = await startReplayServer([{ match: { method: 'POST', pathPrefix: '/model/' }, responses: [converseOk] }]);
    const model = new BedrockTextModel({ client: client(server.url), modelId: MODEL });
    const r = await model.generate({ ...ask, jsonSchema: CONFORMANCE_SCHEMA });
    expect(r.json).toEqual(RECORDED_JSON);
    expect(r.usage).toEqual({ promptTokens: 20, completionTokens: 10 });
    const sent = JSON.parse(server.requests[0]!.body) as Record<string, any>;
    expect(server.requests[0]!.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(sent['toolConfig'].toolChoice).toEqual({ tool: { name: 'emit_json' } });
    expect(sent['toolConfig'].tools[0].toolSpec.inputSchema.json).toEqual(CONFORMANCE_SCHEMA);
    expect(sent['system']).toEqual([{ text: 'Be brief.' }]);
    expect(sent['inferenceConfig']).toEqual({ maxTokens: 64, temperature: 0 });
  });

  it('retries a 429 ThrottlingException through the SDK retry strategy, then succeeds', async () => {
    await using server = await startReplayServer([
      {
        match: { method: 'POST', pathPrefix: '/model/' },
        responses: [{ status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: { message: 'Too many requests' } }, converseOk],
      },
    ]);
    const model = new BedrockTextModel({ client: client(server.url), modelId: MODEL });
    const r = await model.generate({ ...ask, jsonSchema: CONFORMANCE_SCHEMA });
    expect(r.json).toEqual(RECORDED_JSON);
    expect(server.requests).toHaveLength(2);
  });

  it('a persistent 5xx becomes PROVIDER_ERROR after the configured attempts, without the remote message', async () => {
    await using server = await startReplayServer([
      { match: { method: 'POST', pathPrefix: '/model/' }, responses: [{ status: 500, headers: { 'x-amzn-errortype': 'InternalServerException' }, body: { message: 'boom: patient text echoed' } }] },
    ]);
    const model = new BedrockTextModel({ client: client(server.url), modelId: MODEL });
    const e = await model.generate(ask).then(() => null, (err: unknown) => err);
    expect(isWardClerkError(e) && e.code).toBe('PROVIDER_ERROR');
    expect(isWardClerkError(e) && e.details['http_status']).toBe(500);
    expect(String((e as Error).message)).not.toContain('patient');
    expect(server.requests).toHaveLength(3);
  });

  it('persistent throttling becomes RATE_LIMITED with Retry-After', async () => {
    await using server = await startReplayServer([
      { match: { method: 'POST', pathPrefix: '/model/' }, responses: [{ status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: { message: 'slow down' } }] },
    ]);
    const model = new BedrockTextModel({ client: new BedrockRuntimeClient({ region: 'us-east-1', endpoint: server.url, credentials, maxAttempts: 2 }), modelId: MODEL });
    const e = await model.generate(ask).then(() => null, (err: unknown) => err);
    expect(isWardClerkError(e) && e.code).toBe('RATE_LIMITED');
    expect(isWardClerkError(e) && e.retryAfter).toBeGreaterThan(0);
  });

  it('max_tokens on a JSON request is MODEL_OUTPUT_TRUNCATED; a missing tool call is MODEL_OUTPUT_INVALID', async () => {
    const truncated = { status: 200, body: { ...converseOk.body, stopReason: 'max_tokens' } };
    const noTool = { status: 200, body: { ...converseOk.body, output: { message: { role: 'assistant', content: [{ text: 'sorry' }] } }, stopReason: 'end_turn' } };
    await using server = await startReplayServer([{ match: { method: 'POST', pathPrefix: '/model/' }, responses: [truncated, noTool] }]);
    const model = new BedrockTextModel({ client: client(server.url), modelId: MODEL });
    const codes = [];
    for (let i = 0; i < 2; i++) codes.push(await model.generate({ ...ask, jsonSchema: CONFORMANCE_SCHEMA }).then(() => null, (err: unknown) => (isWardClerkError(err) ? err.code : err)));
    expect(codes).toEqual(['MODEL_OUTPUT_TRUNCATED', 'MODEL_OUTPUT_INVALID']);
  });
});
