import { afterEach, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateMasterKey } from './master-key.js';
import { WardClerkError } from './errors.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'wc-mk-'));
  dirs.push(d);
  return d;
}

async function expectCode(p: Promise<unknown>, reason: string, path: string): Promise<WardClerkError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WardClerkError);
  const e = err as WardClerkError;
  expect(e.code).toBe('CONFIG_INVALID');
  expect(e.details.reason).toBe(reason);
  expect(e.message).toContain(path);
  return e;
}

describe('loadOrCreateMasterKey', () => {
  it('creates 32 random bytes with mode 0600 in a new 0700 directory, then reuses them', async () => {
    const root = await tempDir();
    const path = join(root, 'keys', 'master.key');
    const a = await loadOrCreateMasterKey(path);
    expect(a.length).toBe(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'keys'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(root, 'keys'))).toEqual(['master.key']); // no temp file left
    const b = await loadOrCreateMasterKey(path);
    expect(Buffer.from(b)).toEqual(Buffer.from(a));
    const other = await loadOrCreateMasterKey(join(root, 'other.key'));
    expect(Buffer.from(other)).not.toEqual(Buffer.from(a));
  });

  it('concurrent first starts agree on one key', async () => {
    const path = join(await tempDir(), 'master.key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateMasterKey(path)));
    for (const k of keys) expect(Buffer.from(k)).toEqual(Buffer.from(keys[0]!));
  });

  it('refuses a file of the wrong size, naming the path and not the content', async () => {
    const path = join(await tempDir(), 'master.key');
    await writeFile(path, Buffer.alloc(31, 7), { mode: 0o600 });
    const e = await expectCode(loadOrCreateMasterKey(path), 'wrong_size', path);
    expect(e.message).toContain('31 bytes');
  });

  it('refuses a mode looser than 0600', async () => {
    const path = join(await tempDir(), 'master.key');
    await loadOrCreateMasterKey(path);
    await chmod(path, 0o644);
    const e = await expectCode(loadOrCreateMasterKey(path), 'mode_too_open', path);
    expect(e.message).toContain('0644');
    await chmod(path, 0o400); // stricter is fine
    expect((await loadOrCreateMasterKey(path)).length).toBe(32);
  });

  it('refuses a directory in place of the file', async () => {
    const root = await tempDir();
    await expectCode(loadOrCreateMasterKey(root), 'not_a_file', root);
  });
});
