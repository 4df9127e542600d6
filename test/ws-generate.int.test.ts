/**
 * Generation over the WebSocket hub, through the whole appliance (real nats-server, gateway,
 * engine with the real stories260K and tiny-random GGUF models): token frames then done, cancel
 * by frame and by closing the socket (the engine's cancelled counter moves), the per-socket limit,
 * bad frames, and operator tokens refused.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenantClient, operatorToken, until, type Envelope, type Page, type TenantClient } from './api-client.js';

/** A loaded model's counters on GET /api/v1/admin/engines. */
interface ModelInfo { id: string; active: number; queued: number; cancelled: number; completed: number; failed: number }
/**
 * A server frame as these tests read it: `text` on token and done frames, `error` on error frames
 * (each test checks `type` before it reads them).
 */
interface GenFrame { type: string; id: string | null; text: string; error: { code: string } }
import { startAppliance, type Appliance } from './appliance.js';

const shared = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/models');
const STORIES = join(shared, 'stories260K/stories260K.gguf');
const RANDOM = join(shared, 'llama-2-tiny-random/llama-2-tiny-random.gguf');
const present = existsSync(STORIES) && existsSync(RANDOM);
if (!present) console.warn(`skipping websocket generation tests: models absent under ${shared}`);

// A JSON string without maxLength never closes on the random model: it generates until cancelled.
const ENDLESS = { model: 'random', messages: [{ role: 'user', content: 'go' }], json_schema: { type: 'object', properties: { s: { type: 'string' } }, required: ['s'] }, max_tokens: 8192 };

let app: Appliance;
let modelsDir: string;
let op: string;
let client: TenantClient;

async function modelInfo(id: string): Promise<ModelInfo | undefined> {
  const r = await call<Envelope<Page<{ models: ModelInfo[] }>>>(`${app.url}/api/v1/admin/engines`, { token: op });
  expect(r.status).toBe(200);
  return r.body.data.items[0]?.models.find((m) => m.id === id);
}

/** A socket that records every frame it receives, with a way to wait for one. */
class Socket {
  readonly frames: GenFrame[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<number>;
  constructor(token: string) {
    this.ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', token]);
    this.ws.on('message', (raw) => this.frames.push(JSON.parse(String(raw)) as GenFrame));
    this.closed = new Promise((r) => this.ws.once('close', (code) => r(code)));
  }
  send(frame: unknown) {
    this.ws.send(JSON.stringify(frame));
  }
  wait(pred: (f: GenFrame) => boolean, timeoutMs = 20_000): Promise<GenFrame> {
    return until(async () => this.frames.find(pred), timeoutMs, 10);
  }
  /** Frames of one generation id. */
  of(id: string) {
    return this.frames.filter((f) => f.id === id);
  }
  async ready() {
    await this.wait((f) => f.type === 'ready');
    return this;
  }
}

beforeAll(async () => {
  if (!present) return;
  modelsDir = await mkdtemp(join(tmpdir(), 'wardclerk-ws-models-'));
  await copyFile(STORIES, join(modelsDir, 'stories260K.gguf'));
  await copyFile(RANDOM, join(modelsDir, 'random.gguf'));
  await writeFile(
    join(modelsDir, 'models.json'),
    JSON.stringify({
      models: [
        { id: 'stories', file: 'stories260K.gguf', kind: 'gguf', roles: ['chat'], sha256: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d', options: { threads: 1, contextSize: 512 } },
        { id: 'random', file: 'random.gguf', kind: 'gguf', roles: ['chat'], sha256: '81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb', options: { threads: 1, contextSize: 16384 } },
      ],
    }),
  );
  // One generation at a time per model and room for 8 waiting: the socket's own limit (4) is hit first.
  app = await startAppliance({ env: { WARDCLERK_MODELS_DIR: modelsDir, WARDCLERK_ENGINE_THREADS: '1', WARDCLERK_MODEL_CONCURRENCY: '1', WARDCLERK_MODEL_QUEUE: '8' } });
  op = await operatorToken(app.url, app.adminPassword);
  client = await createTenantClient(app.url, op, 'WS Generation Hospital');
  for (const id of ['stories', 'random']) expect((await call(`${app.url}/api/v1/admin/models/${id}/load`, { method: 'POST', token: op })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

describe.skipIf(!present)('generation over the websocket', () => {
  it('streams token frames then a done frame whose text is their concatenation', async () => {
    const s = await new Socket(client.token).ready();
    s.send({ type: 'generate', id: 'g1', model: 'stories', messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 24, temperature: 0 });
    const done = await s.wait((f) => f.id === 'g1' && f.type !== 'token');
    expect(done).toMatchObject({ type: 'done', id: 'g1', model_id: 'stories', finish_reason: expect.any(String), usage: { completion_tokens: expect.any(Number) } });
    const tokens = s.of('g1').filter((f) => f.type === 'token');
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.map((t) => t.text).join('')).toBe(done.text);
    expect(done.text.length).toBeGreaterThan(0);
    expect(app.logs()).not.toContain('Once upon a time');
    s.ws.close();
  });

  it('answers bad frames with coded error frames and keeps the socket open', async () => {
    const s = await new Socket(client.token).ready();
    s.send({ type: 'generate', id: 'bad', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 });
    expect((await s.wait((f) => f.id === 'bad')).error.code).toBe('VALIDATION_FAILED');
    s.ws.send('not json');
    expect((await s.wait((f) => f.type === 'error' && f.error.code === 'INVALID_JSON')).id).toBeNull();
    s.send({ type: 'launch' });
    await s.wait((f) => f.type === 'error' && f.error.code === 'BAD_REQUEST');
    s.send({ type: 'generate', id: 'nomodel', model: 'nope', messages: [{ role: 'user', content: 'x' }], max_tokens: 4 });
    expect((await s.wait((f) => f.id === 'nomodel')).error.code).toBe('MODEL_NOT_FOUND');
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    s.ws.close();
  });

  it('a cancel frame stops that generation on the engine', async () => {
    const before = (await modelInfo('random'))!;
    const s = await new Socket(client.token).ready();
    s.send({ type: 'generate', id: 'c1', ...ENDLESS });
    await s.wait((f) => f.id === 'c1' && f.type === 'token');
    s.send({ type: 'cancel', id: 'c1' });
    const last = await s.wait((f) => f.id === 'c1' && f.type !== 'token');
    expect(last).toMatchObject({ type: 'error', id: 'c1', error: { code: 'CANCELLED' } });
    const info = await until(async () => {
      const m = await modelInfo('random');
      return m && m['cancelled'] === before['cancelled'] + 1 && m['active'] === 0 ? m : null;
    });
    expect(info['completed']).toBe(before['completed']);
    expect(info['failed']).toBe(before['failed']);
    s.ws.close();
  }, 60_000);

  it('limits generations per socket, and closing the socket cancels all of them', async () => {
    const before = (await modelInfo('random'))!;
    const s = await new Socket(client.token).ready();
    for (const id of ['a', 'b', 'c', 'd']) s.send({ type: 'generate', id, ...ENDLESS });
    s.send({ type: 'generate', id: 'e', ...ENDLESS });
    const refused = await s.wait((f) => f.id === 'e');
    expect(refused).toMatchObject({ type: 'error', error: { code: 'OVERLOADED', details: { limit: 4 } } });
    s.send({ type: 'generate', id: 'a', ...ENDLESS });
    expect((await s.wait((f) => f.id === 'a' && f.type === 'error')).error.code).toBe('CONFLICT');
    // One is generating, three wait in the engine's queue.
    await s.wait((f) => f.type === 'token');
    await until(async () => (await modelInfo('random'))?.['queued'] === 3);
    s.ws.close();
    await s.closed;
    const info = await until(async () => {
      const m = await modelInfo('random');
      return m && m['cancelled'] === before['cancelled'] + 4 && m['active'] === 0 && m['queued'] === 0 ? m : null;
    });
    expect(info['completed']).toBe(before['completed']);
  }, 60_000);

  it('an operator token cannot generate: the socket is closed 4403 without a token frame', async () => {
    for (const viaFrame of [false, true]) {
      const ws = viaFrame
        ? new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`)
        : new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', op]);
      const frames: GenFrame[] = [];
      ws.on('message', (raw) => frames.push(JSON.parse(String(raw)) as GenFrame));
      const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
      await new Promise((r) => ws.once('open', r));
      if (viaFrame) ws.send(JSON.stringify({ type: 'auth', token: op }));
      ws.send(JSON.stringify({ type: 'generate', id: 'op', model: 'stories', messages: [{ role: 'user', content: 'Once' }], max_tokens: 8 }), () => {});
      expect(await closed).toBe(4403);
      expect(frames.filter((f) => f.type === 'token' || f.type === 'done' || f.type === 'ready')).toEqual([]);
    }
  });
});
