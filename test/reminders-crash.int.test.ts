import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadOrCreateMasterKey } from '../core/master-key.js';
import { openStore } from '../gateway/store/store.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const N = 800;

/** Runs the helper; with `killAfter`, SIGKILLs it once that many `rel` lines were printed. */
function runHelper(args: string[], killAfter?: number): Promise<{ lines: string[]; signal: string | null }> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'gateway/scheduler/crash-dispatcher.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (killAfter !== undefined && child.signalCode === null && (out.match(/^rel /gm)?.length ?? 0) >= killAfter) child.kill('SIGKILL');
  });
  return new Promise((ok, fail) => {
    const deadline = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`helper timed out; stderr: ${err}`)); }, 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (code !== 0 && signal !== 'SIGKILL') fail(new Error(`helper exited ${code}; stderr: ${err}`));
      else ok({ lines: out.split('\n').slice(0, -1), signal }); // complete lines only
    });
  });
}

describe('reminder delivery across kill -9', () => {
  it('every due reminder is delivered exactly once after a SIGKILL mid-dispatch and a restart', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wc-rem-crash-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const dir = join(root, 'store');
    const key = join(root, 'master.key');
    const seed = await runHelper([dir, key, 'seed', String(N)]);
    const tenant = seed.lines.find((l) => l.startsWith('tenant '))!.slice(7);
    const patient = seed.lines.find((l) => l.startsWith('patient '))!.slice(8);

    const killed = await runHelper([dir, key, 'run'], 100);
    expect(killed.signal).toBe('SIGKILL');
    const restarted = await runHelper([dir, key, 'run']);
    expect(restarted.lines.at(-1)).toBe('idle');

    const published = [...killed.lines, ...restarted.lines].filter((l) => /^(rel|drn) /.test(l)).map((l) => l.slice(4));
    const before = killed.lines.filter((l) => l.startsWith('rel ')).length;
    expect(before).toBeGreaterThanOrEqual(100);
    expect(before).toBeLessThan(N); // the kill landed mid-stream
    // One delivery id per reminder (`<reminder id>.1`); an id may be published twice (released,
    // then drained after the kill) — JetStream drops the second by Nats-Msg-Id — but never a `.2`.
    const ids = new Set(published);
    expect([...ids].every((id) => id.endsWith('.1'))).toBe(true);
    expect(ids.size).toBe(N);

    const store = await openStore({ dir, masterKey: await loadOrCreateMasterKey(key) });
    onTestFinished(() => store.close());
    const rows = await store.reminders.listForPatient(tenant, patient, { from: 0, to: Date.now() + 86_400_000, limit: 100_000 }, () => true);
    expect(rows).toHaveLength(N);
    expect(rows.filter((r) => r.state !== 'due' || r.deliveries !== 1)).toEqual([]);
    expect(new Set(rows.map((r) => `${r.reminder_id}.1`))).toEqual(ids);
    expect(await store.outbox.pending()).toEqual([]);
    // What is left in the due index: one nag entry per delivered reminder, nothing due now.
    expect((await store.reminders.dueUntil(Date.now(), 10)).length).toBe(0);
  }, 120_000);
});
