import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveKey, initCrypto } from '../../core/crypto.js';
import { renderDeployedNatsConfig } from './render-nats-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wardclerk-render-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderDeployedNatsConfig', () => {
  it('derives the JetStream key from the master key, the same on every render', async () => {
    const env = { WARDCLERK_DATA_DIR: join(dir, 'data'), PATH: process.env.PATH ?? '' };
    const first = await renderDeployedNatsConfig(env, { host: '0.0.0.0', port: 4222 });
    const second = await renderDeployedNatsConfig(env, { host: '0.0.0.0', port: 4222 });
    expect(second).toBe(first);
    await initCrypto();
    const master = new Uint8Array(await readFile(join(dir, 'data', 'master.key')));
    const expected = Buffer.from(deriveKey(master, 1, 'natsjs__')).toString('hex');
    expect(first).toContain(`key: "${expected}"`);
    expect(first).toContain(`store_dir: ${JSON.stringify(join(dir, 'data', 'nats'))}`);
    expect(first).toContain('host: "0.0.0.0"');
  });
});
