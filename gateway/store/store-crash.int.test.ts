import { describe, expect, it, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrCreateMasterKey } from '../../core/master-key.js';
import { openStore } from './store.js';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

describe('crash durability', () => {
  it('every id printed before SIGKILL is readable after reopening', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wc-crash-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const dir = join(root, 'store');
    const keyFile = join(root, 'master.key');
    const child = spawn(process.execPath, ['bin/run-ts.js', 'gateway/store/crash-writer.ts', dir, keyFile], {
      cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<void>((r) => child.on('close', () => r()));
    await new Promise<void>((ok, fail) => {
      const deadline = setTimeout(() => fail(new Error(`writer printed too little before the deadline; stderr: ${err}`)), 25_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if ((out.match(/^rx /gm)?.length ?? 0) >= 300) {
          clearTimeout(deadline);
          ok();
        }
      });
      // (after ok() this reject is a no-op: the kill below is expected)
      child.on('close', () => { clearTimeout(deadline); fail(new Error(`writer exited early; stderr: ${err}`)); });
    });
    // While the writer runs, a second process cannot open its store.
    const locked = await openStore({ dir, masterKey: await loadOrCreateMasterKey(keyFile) }).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { reason: 'locked' } });
    child.kill('SIGKILL'); // mid-stream: writes are in flight right now
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    const lines = out.split('\n').slice(0, -1); // only complete lines
    const tenant = lines.find((l) => l.startsWith('tenant '))!.slice('tenant '.length);
    const ids = lines.filter((l) => l.startsWith('rx ')).map((l) => l.slice(3));
    expect(ids.length).toBeGreaterThanOrEqual(300);
    const store = await openStore({ dir, masterKey: await loadOrCreateMasterKey(keyFile) });
    onTestFinished(() => store.close());
    const missing = [];
    for (const id of ids) if (!(await store.prescriptions.get(tenant, id))) missing.push(id);
    expect(missing).toEqual([]);
  });
});
