import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { createAdmissionGate } from './admission-gate.js';

/** A task the test finishes by hand, so nothing depends on timing. */
function manual() {
  let finish!: () => void;
  let markStarted!: () => void;
  const done = new Promise<void>((r) => { finish = r; });
  const running = new Promise<void>((r) => { markStarted = r; });
  let started = false;
  return { fn: async () => { started = true; markStarted(); await done; return 'ok'; }, finish, running, started: () => started };
}

describe('createAdmissionGate', () => {
  it('runs up to the concurrency, queues up to the queue size, refuses the rest with OVERLOADED and a retry hint', async () => {
    const gate = createAdmissionGate({ name: 'm', concurrency: 1, queueSize: 1, retryAfterSeconds: 3 });
    const a = manual();
    const b = manual();
    const ra = gate.run(a.fn);
    const rb = gate.run(b.fn);
    await a.running;
    expect(b.started()).toBe(false);
    expect(gate.stats()).toEqual({ active: 1, queued: 1, concurrency: 1, queue_size: 1 });
    const refused = await gate.run(async () => 'never').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WardClerkError);
    expect(refused).toMatchObject({ code: 'OVERLOADED', retryAfter: 3, details: { retry_after: 3, model: 'm' } });
    a.finish();
    expect(await ra).toBe('ok');
    await b.running;
    b.finish();
    expect(await rb).toBe('ok');
    expect(gate.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it('a queued call whose signal aborts leaves the queue with CANCELLED; a failing call frees its slot', async () => {
    const gate = createAdmissionGate({ name: 'm', concurrency: 1, queueSize: 2 });
    const a = manual();
    const ra = gate.run(a.fn);
    const c = new AbortController();
    const queued = gate.run(async () => 'never', c.signal);
    expect(gate.stats().queued).toBe(1);
    c.abort();
    await expect(queued).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(gate.stats().queued).toBe(0);
    a.finish();
    await ra;
    await expect(gate.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
    await expect(gate.run(async () => 'x', AbortSignal.abort())).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('a zero-size queue refuses as soon as every slot is busy', async () => {
    const gate = createAdmissionGate({ name: 'm', concurrency: 2, queueSize: 0 });
    const a = manual();
    const b = manual();
    const runs = [gate.run(a.fn), gate.run(b.fn)];
    await expect(gate.run(async () => 'x')).rejects.toMatchObject({ code: 'OVERLOADED', retryAfter: 1 });
    a.finish();
    b.finish();
    await Promise.all(runs);
  });
});
