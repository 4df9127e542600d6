/**
 * Issue 4 wiring through the whole appliance (real nats-server, gateway, engine, worker): the
 * engines list, model load/unload with checksum verification, streamed generation over SSE with
 * client cancellation, queue-full → 503 Retry-After, and an OCR'd PNG prescription.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenantClient, operatorToken, until, type Envelope, type Page, type TenantClient } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { renderPrescriptionPng } from './render-prescription.js';

const shared = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../shared/models');
const STORIES = join(shared, 'stories260K/stories260K.gguf');
const RANDOM = join(shared, 'llama-2-tiny-random/llama-2-tiny-random.gguf');
const present = existsSync(STORIES) && existsSync(RANDOM);
if (!present) console.warn(`skipping engine wiring tests: models absent under ${shared}`);

let app: Appliance;
let modelsDir: string;
let op: string;
let client: TenantClient;

// A JSON string without maxLength never closes on the random model: generation runs to max_tokens.
const ENDLESS = { messages: [{ role: 'user', content: 'go' }], json_schema: { type: 'object', properties: { s: { type: 'string' } }, required: ['s'] }, max_tokens: 8192 };

/** An engine of GET /api/v1/admin/engines; a model's and the capabilities' fields are read by name. */
interface EngineView { device: string; queue_depth: number; models: Array<Record<string, unknown>>; capabilities: Record<string, unknown> }
/** One server-sent event of a streamed generation. */
interface SseEvent { event: string; data: { text?: string } }

async function engines() {
  const r = await call<Envelope<Page<EngineView>>>(`${app.url}/api/v1/admin/engines`, { token: op });
  expect(r.status).toBe(200);
  return r.body.data.items;
}
const modelInfo = async (id: string) => (await engines())[0]?.models.find((m) => m['id'] === id);

/** Opens an SSE generation; resolves once the response headers are in. */
async function openStream(body: unknown, signal: AbortSignal) {
  return fetch(`${app.url}/api/v1/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal,
  });
}

async function readEvents(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((b) => {
      const event = /^event: (.*)$/m.exec(b)?.[1] ?? '';
      const data = b.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) as SseEvent['data'] };
    });
}

beforeAll(async () => {
  if (!present) return;
  modelsDir = await mkdtemp(join(tmpdir(), 'wardclerk-models-'));
  await copyFile(STORIES, join(modelsDir, 'stories260K.gguf'));
  await copyFile(RANDOM, join(modelsDir, 'random.gguf'));
  await copyFile(STORIES, join(modelsDir, 'tampered.gguf'));
  await writeFile(join(modelsDir, 'tampered.gguf'), Buffer.from('not the stories model'), { flag: 'a' });
  const sha = { stories: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d', random: '81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb' };
  await writeFile(
    join(modelsDir, 'models.json'),
    JSON.stringify({
      models: [
        { id: 'stories', file: 'stories260K.gguf', kind: 'gguf', roles: ['chat'], sha256: sha.stories, options: { threads: 1, contextSize: 512 } },
        { id: 'random', file: 'random.gguf', kind: 'gguf', roles: ['chat'], sha256: sha.random, options: { threads: 1, contextSize: 16384 } },
        { id: 'tampered', file: 'tampered.gguf', kind: 'gguf', roles: ['chat'], sha256: sha.stories },
      ],
    }),
  );
  app = await startAppliance({ env: { WARDCLERK_MODELS_DIR: modelsDir, WARDCLERK_ENGINE_THREADS: '1', WARDCLERK_MODEL_CONCURRENCY: '1', WARDCLERK_MODEL_QUEUE: '1' } });
  op = await operatorToken(app.url, app.adminPassword);
  client = await createTenantClient(app.url, op, 'Engine Wiring Hospital');
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
});

describe.skipIf(!present)('engines and models', () => {
  it('lists the engine with its device, capabilities and no loaded text model; operators only', async () => {
    const list = await engines();
    expect(list).toHaveLength(1);
    expect(list[0]!.device).toBe('cpu');
    expect(list[0]!.capabilities['ocr']).toBe(true);
    expect(list[0]!.capabilities['cpu']).toMatchObject({ threads: 1 });
    expect(list[0]!.models.filter((m) => m['kind'] === 'text-model')).toEqual([]);
    expect((await call(`${app.url}/api/v1/admin/engines`, { token: client.token })).status).toBe(403);
    expect((await call(`${app.url}/api/v1/admin/models/stories/load`, { method: 'POST', token: client.token })).status).toBe(403);
  });

  it('loads and unloads the stories model; the list follows', async () => {
    const load = await call<Envelope<{ engines: unknown[] }>>(`${app.url}/api/v1/admin/models/stories/load`, { method: 'POST', token: op });
    expect(load.status).toBe(200);
    expect(load.body.data.engines).toEqual([expect.objectContaining({ ok: true, model: expect.objectContaining({ id: 'stories', provider: 'llama' }) })]);
    expect(await modelInfo('stories')).toMatchObject({ kind: 'text-model', concurrency: 1, queue_size: 1 });
    const unload = await call<Envelope<{ engines: unknown[] }>>(`${app.url}/api/v1/admin/models/stories/unload`, { method: 'POST', token: op });
    expect(unload.status).toBe(200);
    expect(unload.body.data.engines[0]).toMatchObject({ ok: true, unloaded: true });
    expect(await modelInfo('stories')).toBeUndefined();
  });

  it('refuses a file whose checksum does not match, and an unknown id', async () => {
    const bad = await call<Envelope>(`${app.url}/api/v1/admin/models/tampered/load`, { method: 'POST', token: op });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('MODEL_CHECKSUM_MISMATCH');
    // The admin learns which file (relative to the models folder), never where the folder is.
    expect(bad.body.error.details).toMatchObject({ id: 'tampered', file: 'tampered.gguf', path: '[path]' });
    expect(JSON.stringify(bad.body)).not.toContain(modelsDir);
    expect(await modelInfo('tampered')).toBeUndefined();
    const unknown = await call<Envelope>(`${app.url}/api/v1/admin/models/nope/load`, { method: 'POST', token: op });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('MODEL_NOT_FOUND');
  });
});

describe.skipIf(!present)('generation', () => {
  it('answers 404 MODEL_NOT_FOUND while no model is loaded', async () => {
    const r = await call<Envelope>(`${app.url}/api/v1/generate`, { method: 'POST', token: client.token, json: { messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('MODEL_NOT_FOUND');
  });

  it('returns JSON, and streams tokens then done over SSE', async () => {
    expect((await call(`${app.url}/api/v1/admin/models/stories/load`, { method: 'POST', token: op })).status).toBe(200);
    const body = { model: 'stories', messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 24 };
    const json = await call<Envelope<{ text: string }>>(`${app.url}/api/v1/generate`, { method: 'POST', token: client.token, json: body });
    expect(json.status).toBe(200);
    expect(json.body.data).toMatchObject({ model_id: 'stories', usage: { completion_tokens: expect.any(Number) } });
    expect(json.body.data.text.length).toBeGreaterThan(0);

    const res = await openStream(body, new AbortController().signal);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(res);
    const tokens = events.filter((e) => e.event === 'token');
    expect(tokens.length).toBeGreaterThan(1);
    expect(events.at(-1)!.event).toBe('done');
    expect(tokens.map((t) => t.data.text).join('')).toBe(events.at(-1)!.data.text);
    await call(`${app.url}/api/v1/admin/models/stories/unload`, { method: 'POST', token: op });
  });

  it('a client that disconnects cancels the generation on the engine; a full queue answers 503 with Retry-After', async () => {
    expect((await call(`${app.url}/api/v1/admin/models/random/load`, { method: 'POST', token: op })).status).toBe(200);
    const first = new AbortController();
    const second = new AbortController();
    const running = await openStream({ ...ENDLESS, model: 'random' }, first.signal);
    expect(running.status).toBe(200);
    const reader = running.body!.getReader();
    const chunk = await reader.read(); // a token arrived: it is generating
    expect(new TextDecoder().decode(chunk.value)).toContain('event: token');

    // The second waits in the queue (size 1) — its response is only committed at its first token.
    const queued = openStream({ ...ENDLESS, model: 'random' }, second.signal).catch(() => null);
    await until(async () => (await modelInfo('random'))?.['queued'] === 1);
    const refused = await call<Envelope>(`${app.url}/api/v1/generate`, { method: 'POST', token: client.token, json: { ...ENDLESS, model: 'random' } });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('OVERLOADED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    second.abort();
    await queued;
    first.abort();
    const info = await until(async () => {
      const m = await modelInfo('random');
      return m && m['active'] === 0 && m['queued'] === 0 && m['cancelled'] === 2 ? m : null;
    });
    expect(info['completed']).toBe(0);
    await call(`${app.url}/api/v1/admin/models/random/unload`, { method: 'POST', token: op });
  }, 60_000);
});

describe.skipIf(!present)('OCR on the prescription endpoint', () => {
  it('an OCR-read PNG prescription is stored with metformin found', async () => {
    const png = await renderPrescriptionPng(['Rx: Metformin 500 mg tablet', 'Take 1 tablet by mouth twice daily for 30 days', 'Dr. Jane Smith, MD']);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'rx.png');
    const r = await call<Envelope<{ medications: Array<{ name: string | null }>; text: string; warnings: Array<{ code: string }> }>>(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: client.token, body: form });
    expect(r.status, JSON.stringify(r.body.error)).toBe(201);
    const names = r.body.data.medications.map((m) => m.name?.toLowerCase());
    expect(names).toContain('metformin');
    expect(r.body.data.text.toLowerCase()).toContain('metformin');
    // A clean scan reads with high confidence: no low-confidence warning (0–100 page scores are scaled to 0–1).
    expect(r.body.data.warnings.map((w) => w.code)).not.toContain('OCR_LOW_CONFIDENCE');
  }, 120_000);
});
