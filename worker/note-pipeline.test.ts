import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, encodeJson, type Bus } from '../core/bus.js';
import { contracts, noteSubject, STREAMS } from '../core/contracts.js';
import { WardClerkError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { waitFor } from './testing/fake-gateway.js';
import { listenNoteMaxDeliveries } from './note-max-deliveries.js';
import { startWorkerFixture, type WorkerFixture } from './testing/worker-fixture.js';

/**
 * The note pipeline step on a real nats-server with the real worker; the store's note subjects
 * and the engine's plan-items subject are served by a small double on its own connection.
 */
let f: WorkerFixture;
let doubles: Bus;
const tenant = 'tenant-n';
const notes = new Map<string, { text: string; status: string }>();
const settles: Array<{ note_id: string; ok: boolean; code?: string }> = [];
const engineCalls = new Map<string, number>();
let engineScript: (text: string, call: number) => WardClerkError | null = () => null;

beforeAll(async () => {
  f = await startWorkerFixture();
  doubles = await connectBus({ url: f.nats.url, name: 'note-doubles', log: createLogger({ level: 'silent', role: 'test' }) });
  doubles.serve(contracts.noteGet, async ({ note_id }) => {
    const n = notes.get(note_id);
    if (!n) throw new WardClerkError('NOT_FOUND', 'No such note');
    return { note_id, status: n.status, text: n.status === 'pending' ? n.text : '', note_date: '2026-12-02', ocr_confidence: null };
  });
  doubles.serve(contracts.enginePlanItems, async ({ text }) => {
    const call = (engineCalls.get(text) ?? 0) + 1;
    engineCalls.set(text, call);
    const error = engineScript(text, call);
    if (error) throw error;
    return { extraction: {}, items: { tasks: [], activities: [], warnings: [] } };
  });
  doubles.serve(contracts.noteSettle, async ({ note_id, outcome }) => {
    const n = notes.get(note_id)!;
    if (n.status !== 'pending') return { status: n.status, care_plan_id: null, created: false };
    n.status = outcome.ok ? 'processed' : 'failed';
    settles.push({ note_id, ok: outcome.ok, ...(outcome.ok ? {} : { code: outcome.code }) });
    return { status: n.status, care_plan_id: null, created: true };
  });
});
afterAll(async () => {
  await doubles?.close();
  await f?.close();
});

const publish = (noteId: string, msgID = noteId) => f.bus.js.publish(noteSubject(tenant), encodeJson({ tenant_id: tenant, note_id: noteId }), { msgID });
const idle = async () => {
  const info = await f.bus.jsm.consumers.info(STREAMS.notes.name, STREAMS.notes.consumer);
  return info.num_pending === 0 && info.num_ack_pending === 0;
};
const settlesOf = (id: string) => settles.filter((s) => s.note_id === id);

describe('note pipeline step', () => {
  it('settles a note once, however often its message comes; a settled note never reaches the engine again', async () => {
    notes.set('nt_once', { text: 'once', status: 'pending' });
    await publish('nt_once');
    await publish('nt_once'); // duplicate id: JetStream drops it
    await publish('nt_once', 'nt_once.replay'); // a replay under another id
    await waitFor('settled and idle', async () => settlesOf('nt_once').length > 0 && (await idle()));
    expect(settlesOf('nt_once')).toEqual([{ note_id: 'nt_once', ok: true }]);
    expect(engineCalls.get('once')).toBeLessThanOrEqual(2);
    const calls = engineCalls.get('once');
    await publish('nt_once', 'nt_once.later');
    await waitFor('idle', idle);
    expect(engineCalls.get('once')).toBe(calls);
  });

  it('retries a transient engine error, then settles', async () => {
    notes.set('nt_flaky', { text: 'flaky', status: 'pending' });
    engineScript = (text, call) => (text === 'flaky' && call <= 2 ? new WardClerkError('ENGINE_UNAVAILABLE', 'busy (test)') : null);
    await publish('nt_flaky');
    await waitFor('settled', () => settlesOf('nt_flaky').length > 0);
    expect(settlesOf('nt_flaky')).toEqual([{ note_id: 'nt_flaky', ok: true }]);
    expect(engineCalls.get('flaky')).toBe(3);
  });

  it('a permanent error fails the note at once; attempts used up fail it and dead-letter it', async () => {
    notes.set('nt_empty', { text: 'empty', status: 'pending' });
    notes.set('nt_down', { text: 'down', status: 'pending' });
    engineScript = (text) => (text === 'empty' ? new WardClerkError('EMPTY_TEXT', 'empty (test)') : text === 'down' ? new WardClerkError('ENGINE_UNAVAILABLE', 'down (test)') : null);
    await publish('nt_empty');
    await publish('nt_down');
    await waitFor('both settled', () => settlesOf('nt_empty').length > 0 && settlesOf('nt_down').length > 0);
    expect(settlesOf('nt_empty')).toEqual([{ note_id: 'nt_empty', ok: false, code: 'EMPTY_TEXT' }]);
    expect(engineCalls.get('empty')).toBe(1);
    expect(settlesOf('nt_down')).toEqual([{ note_id: 'nt_down', ok: false, code: 'ENGINE_UNAVAILABLE' }]);
    expect(engineCalls.get('down')).toBe(3); // itemMaxDeliver
    await waitFor('dead letter', () => f.gateway.deadLetters.some((d) => d.kind === 'notes' && d.ref === 'nt_down'));
    expect(f.gateway.deadLetters.some((d) => d.ref === 'nt_empty')).toBe(false);
  });

  it('a note that no longer exists is dropped; a malformed message is terminated', async () => {
    await publish('nt_gone');
    await f.bus.js.publish(noteSubject(tenant), encodeJson({ nope: true }), { msgID: 'bad-note-msg' });
    await waitFor('idle', idle);
    expect(settlesOf('nt_gone')).toEqual([]);
  });
});

describe('notes MAX_DELIVERIES advisory', () => {
  it('fails and dead-letters a note whose worker died on every allowed delivery', async () => {
    await using g = await startWorkerFixture({ start: false });
    const stub = await connectBus({ url: g.nats.url, name: 'note-settle-double', log: createLogger({ level: 'silent', role: 'test' }) });
    const settled: Array<{ note_id: string; code: string | null }> = [];
    stub.serve(contracts.noteSettle, async ({ note_id, outcome }) => {
      const created = !settled.some((s) => s.note_id === note_id);
      if (created) settled.push({ note_id, code: outcome.ok ? null : outcome.code });
      return { status: 'failed', care_plan_id: null, created };
    });
    const outcomes: string[] = [];
    const listener = listenNoteMaxDeliveries({ bus: g.bus, log: createLogger({ level: 'silent', role: 'test' }), onOutcome: (o) => outcomes.push(o) });
    await g.bus.js.publish(noteSubject('t1'), encodeJson({ tenant_id: 't1', note_id: 'nt_crash' }), { msgID: 'nt_crash' });
    // A "worker" that takes the message and dies before settling it, on every delivery.
    const consumer = await g.bus.js.consumers.get(STREAMS.notes.name, STREAMS.notes.consumer);
    let taken = 0;
    await waitFor('advisory handled', async () => {
      const m = await consumer.next({ expires: 1000 });
      if (m) taken++;
      return outcomes.length > 0;
    });
    await listener.close();
    await stub.close();
    expect(taken).toBe(3);
    expect(outcomes).toEqual(['failed']);
    expect(settled).toEqual([{ note_id: 'nt_crash', code: 'INTERNAL' }]);
    expect(g.gateway.deadLetters).toEqual([expect.objectContaining({ kind: 'notes', ref: 'nt_crash', tenant_id: 't1' })]);
    expect((await g.bus.jsm.streams.info(STREAMS.notes.name)).state.messages).toBe(0);
  });
});
