/**
 * kill -9 mid-dispatch: a real process runs the dispatcher over 800 reminders due at once and is
 * SIGKILLed after 100 deliveries; run again, it delivers the rest. Every reminder is delivered
 * exactly once (one delivery id each, `.1`), and nothing is left in the outbox. The same with the
 * real gateway process, killed around reminders' due time: test/gateway-kill9.int.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadOrCreateMasterKey } from '../core/master-key.js';
import { openStore } from '../gateway/store/store.js';
import { runCrashHelper } from './crash-helper.js';

const N = 800;

const runHelper = (args: string[], killAfter?: number) =>
  runCrashHelper('gateway/scheduler/crash-dispatcher.ts', args, killAfter === undefined ? undefined : { prefix: 'rel ', count: killAfter });

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
