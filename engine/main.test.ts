import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { runEngine } from './main.js';

let modelsDir: string;
const log = createLogger({ level: 'silent', role: 'engine', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'wardclerk-engine-main-'));
  await writeFile(
    join(modelsDir, 'models.json'),
    JSON.stringify({ models: [{ id: 'absent', file: 'absent.gguf', kind: 'gguf', roles: ['extract'], sha256: '0'.repeat(64) }] }),
  );
});
afterAll(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

// Fails before connecting to NATS: the URL points at a closed port, so a regression would hang.
const config = (env: Record<string, string>) =>
  loadConfig({ NATS_URL: 'nats://127.0.0.1:9', WARDCLERK_MODELS_DIR: modelsDir, WARDCLERK_ENGINE_GPU: 'off', WARDCLERK_ENGINE_THREADS: '1', WARDCLERK_OCR: 'none', ...env });

describe('runEngine start-up', () => {
  it('refuses to start when the configured extractor names a model file that is absent, naming the path', async () => {
    await expect(runEngine(config({ WARDCLERK_EXTRACTOR: 'llm:absent' }), { log })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      details: { path: join(modelsDir, 'absent.gguf') },
    });
  });

  it('refuses an unknown extractor or OCR id with CONFIG_INVALID listing the known ids', async () => {
    await expect(runEngine(config({ WARDCLERK_EXTRACTOR: 'magic' }), { log })).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { known: expect.arrayContaining(['rules']) } });
    await expect(runEngine(config({ WARDCLERK_OCR: 'magic-ocr' }), { log })).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { known: expect.arrayContaining(['tesseract']) } });
  });
});
