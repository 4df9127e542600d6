/**
 * Titan embeddings through the real @aws-sdk/client-bedrock-runtime client, pointed at a loopback
 * server replaying recorded InvokeModel responses (no mocks of our code or of the SDK).
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { loadReplayErrors, loadReplayFixture, startReplayServer, type ReplayRoute } from '../../test/replay-server.js';
import { createBedrockEmbedder } from './bedrock-embedder.js';
import { CONFORMANCE_TEXTS, describeEmbedderConformance } from './embedder.conformance.js';

function client(url: string, maxAttempts = 3): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: url,
    maxAttempts,
    credentials: { accessKeyId: 'AKIDREPLAY', secretAccessKey: 'replay-secret' },
  });
}

async function setup(routes: ReplayRoute[], maxAttempts = 3) {
  const server = await startReplayServer(routes);
  const c = client(server.url, maxAttempts);
  const embedder = createBedrockEmbedder({ client: c, dimensions: 256 });
  return {
    server,
    embedder,
    close: async () => {
      c.destroy();
      await server.close();
    },
  };
}

describeEmbedderConformance('bedrock titan (replayed)', async () => setup(await loadReplayFixture('bedrock-titan-embed-v2')));

describe('bedrock embedder', () => {
  it('sends a Titan v2 InvokeModel request per text, signed, with the declared dimensions', async () => {
    const h = await setup(await loadReplayFixture('bedrock-titan-embed-v2'));
    try {
      await h.embedder.embed({ texts: [CONFORMANCE_TEXTS[1]] });
      const [req] = h.server.requests;
      expect(req!.method).toBe('POST');
      expect(req!.path).toBe('/model/amazon.titan-embed-text-v2%3A0/invoke');
      expect(req!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDREPLAY\/\d{8}\/us-east-1\/bedrock\//);
      expect(JSON.parse(req!.body)).toEqual({ inputText: CONFORMANCE_TEXTS[1], dimensions: 256, normalize: true });
    } finally {
      await h.close();
    }
  });

  it('retries a 429 throttle and then succeeds', async () => {
    const errors = await loadReplayErrors();
    const routes = await loadReplayFixture('bedrock-titan-embed-v2');
    const h = await setup([{ match: { method: 'POST', pathPrefix: '/model/' }, responses: [errors['bedrock-429']!], once: true }, ...routes]);
    try {
      const r = await h.embedder.embed({ texts: [CONFORMANCE_TEXTS[2]] });
      expect(r.vectors[0]).toHaveLength(256);
      expect(h.server.requests.map((q) => q.route)).toEqual([0, 3]);
    } finally {
      await h.close();
    }
  });

  it('gives up on persistent throttling with RATE_LIMITED', async () => {
    const errors = await loadReplayErrors();
    const h = await setup([{ match: { method: 'POST', pathPrefix: '/model/' }, responses: [errors['bedrock-429']!] }], 2);
    try {
      const err = await h.embedder.embed({ texts: ['x'] }).catch((x: unknown) => x);
      expect((err as WardClerkError).code).toBe('RATE_LIMITED');
      expect(h.server.requests).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it('maps a persistent 5xx to PROVIDER_ERROR without echoing the request', async () => {
    const errors = await loadReplayErrors();
    const h = await setup([{ match: { method: 'POST', pathPrefix: '/model/' }, responses: [errors['bedrock-503']!] }], 2);
    try {
      const err = (await h.embedder.embed({ texts: ['patient note text'] }).catch((x: unknown) => x)) as WardClerkError;
      expect(err).toBeInstanceOf(WardClerkError);
      expect(err.code).toBe('PROVIDER_ERROR');
      expect(err.details).toMatchObject({ provider: 'bedrock', aws_error: 'ServiceUnavailableException', http_status: 503 });
      expect(JSON.stringify(err.toJSON())).not.toContain('patient note');
      expect(h.server.requests).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it('rejects an embedding of the wrong length with MODEL_OUTPUT_INVALID', async () => {
    const h = await setup([{ match: { method: 'POST', pathPrefix: '/model/' }, responses: [{ status: 200, body: { embedding: [0.5, 0.5], inputTextTokenCount: 1 } }] }]);
    try {
      const err = await h.embedder.embed({ texts: ['x'] }).catch((x: unknown) => x);
      expect((err as WardClerkError).code).toBe('MODEL_OUTPUT_INVALID');
    } finally {
      await h.close();
    }
  });
});
