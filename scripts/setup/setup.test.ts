import { chmod, mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDataDir } from './ensure-data-dir.js';
import { nodeModulesStale } from './ensure-node-modules.js';
import { findNatsServer } from './find-nats-server.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wardclerk-setup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nodeModulesStale', () => {
  it('is true without node_modules, false when npm installed after the lockfile changed, true when the lockfile is newer', async () => {
    await writeFile(join(dir, 'package-lock.json'), '{}');
    expect(nodeModulesStale(dir)).toBe(true);
    await mkdir(join(dir, 'node_modules'));
    await writeFile(join(dir, 'node_modules', '.package-lock.json'), '{}');
    const old = new Date(Date.now() - 60_000);
    await utimes(join(dir, 'package-lock.json'), old, old);
    expect(nodeModulesStale(dir)).toBe(false);
    const older = new Date(Date.now() - 120_000);
    await utimes(join(dir, 'node_modules', '.package-lock.json'), older, older);
    expect(nodeModulesStale(dir)).toBe(true);
  });
});

describe('ensureDataDir', () => {
  it('creates the directory 0700 and tightens an existing looser one', async () => {
    const data = join(dir, 'a', 'data');
    expect(ensureDataDir(data)).toBe(data);
    expect((await stat(data)).mode & 0o777).toBe(0o700);
    await chmod(data, 0o755);
    ensureDataDir(data);
    expect((await stat(data)).mode & 0o777).toBe(0o700);
  });
});

describe('findNatsServer', () => {
  it('prefers NATS_SERVER_BIN, and finds nothing when neither it nor PATH nor the usual dirs have one', async () => {
    const fake = join(dir, 'my-nats');
    await writeFile(fake, '#!/bin/sh\n', { mode: 0o755 });
    expect(findNatsServer({ NATS_SERVER_BIN: fake, PATH: '' })).toBe(fake);
    const found = findNatsServer({ PATH: dir });
    // The machine may have a real one in /usr/sbin; a PATH-only dir without it must not be picked.
    expect(found === null || !found.startsWith(dir)).toBe(true);
  });
});
