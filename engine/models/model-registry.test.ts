import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWardClerkError } from '../../core/errors.js';
import { createTextModel } from '../providers/registry.js';
import { fileSha256 } from './file-sha256.js';
import { openModelRegistry } from './model-registry.js';

const STORIES = fileURLToPath(new URL('../../../shared/models/stories260K/stories260K.gguf', import.meta.url));
const STORIES_SHA = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';

const codeOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (isWardClerkError(e) ? e : e));

describe('model registry', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wc-models-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const manifest = (models: unknown[]) => writeFile(join(dir, 'models.json'), JSON.stringify({ models }));

  it('no manifest means no models, not an error', async () => {
    const reg = await openModelRegistry({ modelsDir: dir });
    expect(await reg.list()).toEqual([]);
  });

  it('an invalid manifest is CONFIG_INVALID naming the file', async () => {
    await manifest([{ id: 'x', file: '../etc/passwd', kind: 'gguf', roles: ['chat'] }]);
    const e = await codeOf(openModelRegistry({ modelsDir: dir }));
    expect(isWardClerkError(e) && e.code).toBe('CONFIG_INVALID');
    expect(isWardClerkError(e) && e.details['path']).toBe(join(dir, 'models.json'));
  });

  it('lists configured, missing and unknown (available, not loaded) files', async () => {
    await manifest([
      { id: 'a', file: 'a.gguf', kind: 'gguf', roles: ['extract'], sha256: STORIES_SHA },
      { id: 'b', file: 'b.gguf', kind: 'gguf', roles: ['chat'], sha256: STORIES_SHA },
    ]);
    await writeFile(join(dir, 'a.gguf'), 'x');
    await writeFile(join(dir, 'stray.gguf'), 'yy');
    await mkdir(join(dir, 'bge-small'));
    const list = await (await openModelRegistry({ modelsDir: dir })).list();
    expect(list.map((l) => [l.id, l.file, l.status, l.kind])).toEqual([
      ['a', 'a.gguf', 'configured', 'gguf'],
      ['b', 'b.gguf', 'missing', 'gguf'],
      [null, 'bge-small', 'available', 'onnx'],
      [null, 'stray.gguf', 'available', 'gguf'],
    ]);
  });

  it('a missing file is MODEL_NOT_FOUND naming the path; an unknown id lists the known ids', async () => {
    await manifest([{ id: 'b', file: 'b.gguf', kind: 'gguf', roles: ['chat'], sha256: STORIES_SHA }]);
    const reg = await openModelRegistry({ modelsDir: dir });
    const missing = await codeOf(reg.resolve('b'));
    expect(isWardClerkError(missing) && missing.code).toBe('MODEL_NOT_FOUND');
    expect(isWardClerkError(missing) && missing.details['path']).toBe(join(dir, 'b.gguf'));
    const unknown = await codeOf(reg.resolve('nope'));
    expect(isWardClerkError(unknown) && unknown.details['known']).toEqual(['b']);
  });

  it.runIf(existsSync(STORIES))('verifies the sha256 (streamed) and refuses a mismatch with MODEL_CHECKSUM_MISMATCH naming the path', async () => {
    await copyFile(STORIES, join(dir, 'good.gguf'));
    await copyFile(STORIES, join(dir, 'bad.gguf'));
    await writeFile(join(dir, 'bad.gguf'), Buffer.from('tampered'), { flag: 'r+' });
    await manifest([
      { id: 'good', file: 'good.gguf', kind: 'gguf', roles: ['extract'], sha256: STORIES_SHA, options: { threads: 1, contextSize: 512 } },
      { id: 'bad', file: 'bad.gguf', kind: 'gguf', roles: ['extract'], sha256: STORIES_SHA },
    ]);
    expect(await fileSha256(join(dir, 'good.gguf'))).toBe(STORIES_SHA);
    const reg = await openModelRegistry({ modelsDir: dir });
    expect((await reg.resolve('good')).path).toBe(join(dir, 'good.gguf'));
    const e = await codeOf(reg.resolve('bad'));
    expect(isWardClerkError(e) && e.code).toBe('MODEL_CHECKSUM_MISMATCH');
    expect(isWardClerkError(e) && e.message).toContain(join(dir, 'bad.gguf'));
    // Loading through the provider registry refuses too, before node-llama-cpp sees the file.
    const viaRegistry = await codeOf(createTextModel('llama:bad.gguf', { modelsDir: dir, threads: 1, gpu: false, models: reg }));
    expect(isWardClerkError(viaRegistry) && viaRegistry.code).toBe('MODEL_CHECKSUM_MISMATCH');
    const good = await createTextModel('llama:good.gguf', { modelsDir: dir, threads: 1, gpu: false, models: reg });
    try {
      expect(good.modelId).toBe('good');
      expect(good.contextSize).toBe(512);
    } finally {
      await good.close();
    }
    // A file the manifest does not name is never loaded.
    await copyFile(STORIES, join(dir, 'stray.gguf'));
    const stray = await codeOf(createTextModel('llama:stray.gguf', { modelsDir: dir, threads: 1, gpu: false, models: reg }));
    expect(isWardClerkError(stray) && stray.code).toBe('MODEL_NOT_FOUND');
  });
});
