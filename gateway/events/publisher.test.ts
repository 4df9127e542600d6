/**
 * The event outbox against a real nats-server (JetStream) and a real LevelDB store: an event
 * committed with its prescription is published only after release, exactly once; one a crash left
 * behind is published at the next start; one whose publish failed stays until the sweep sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, type Bus } from '../../core/bus.js';
import { STREAMS } from '../../core/contracts.js';
import { ensureStreams } from '../../core/jetstream-setup.js';
import { createLogger } from '../../core/logger.js';
import { startNatsServer, type NatsServerHandle } from '../../test/nats-server.js';
import type { PrescriptionInput } from '../store/records.js';
import { sampleExtraction } from '../store/testing/sample-extraction.js';
import { tempStore, type TempStore } from '../store/testing/temp-store.js';
import { createEventPublisher } from './publisher.js';

const log = createLogger({ level: 'silent', role: 'test' });
const settings = { itemMaxDeliver: 3, itemAckWaitMs: 1000, webhookBackoffMs: [100], webhookTimeoutMs: 1000 };
let nats: NatsServerHandle;
let bus: Bus;
let t: TempStore;
let tenant: string;

beforeAll(async () => {
  nats = await startNatsServer({ auth: false });
  bus = await connectBus({ url: nats.url, name: 'outbox-test', log });
  await ensureStreams(bus.jsm, settings);
  t = await tempStore();
  tenant = (await t.store.tenants.create({ name: 'Outbox' })).id;
});
afterAll(async () => {
  await t?.[Symbol.asyncDispose]();
  await bus?.close();
  await nats?.stop();
});

const input = (): PrescriptionInput => ({
  text: 'Metformin 500 mg PO BID', patient_ref: null, doctor: null, source: 'text', external_id: null, job_id: null, extraction: sampleExtraction(),
});

/** Events JetStream holds for this event id (0 or 1: the id is the message id). */
async function storedEvents(): Promise<number> {
  return (await bus.jsm.streams.info(STREAMS.events.name)).state.messages;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('event outbox', () => {
  it('commits the event with the record and publishes it only on release, once', async () => {
    const events = createEventPublisher(bus.js, log, { outbox: t.store.outbox, sweepMs: 60_000 });
    const before = await storedEvents();
    let staged;
    const rec = await t.store.prescriptions.create(tenant, input(), (r) => {
      const s = events.stage(tenant, 'prescription.extracted', { prescription_id: r.prescription_id, job_id: null });
      staged = s.event;
      return [s.op];
    });
    expect((await t.store.outbox.pending()).map((e) => e.data['prescription_id'])).toEqual([rec.prescription_id]);
    expect(await storedEvents()).toBe(before);
    events.release(staged!);
    await until('published and removed', async () => (await t.store.outbox.pending()).length === 0);
    expect(await storedEvents()).toBe(before + 1);
    await events.close();
  });

  it('publishes what a crash left in the outbox at the next start, and a duplicate publish is dropped', async () => {
    const crashed = createEventPublisher(bus.js, log, { outbox: t.store.outbox, sweepMs: 60_000 });
    const before = await storedEvents();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await t.store.prescriptions.create(tenant, input(), (r) => {
        const s = crashed.stage(tenant, 'prescription.extracted', { prescription_id: r.prescription_id, job_id: null });
        ids.push(s.event.id);
        return [s.op];
      });
    }
    await crashed.close(); // never released: the process "died" after the commits
    await t.reopen(); // committed durably: still there after a reopen
    const restarted = createEventPublisher(bus.js, log, { outbox: t.store.outbox, sweepMs: 60_000 });
    expect(await restarted.drainOutbox()).toBe(3);
    expect(await storedEvents()).toBe(before + 3);
    expect(await t.store.outbox.pending()).toEqual([]);
    // The same event published again (a removal lost to a power cut) is de-duplicated by its id.
    const again = await t.store.prescriptions.create(tenant, input(), () => [t.store.outbox.op({ id: ids[0]!, type: 'prescription.extracted', tenant_id: tenant, created_at: new Date().toISOString(), data: {} })]);
    expect(again.prescription_id).toMatch(/^rx_/);
    expect(await restarted.drainOutbox()).toBe(1);
    expect(await storedEvents()).toBe(before + 3);
    await restarted.close();
  });

  it('keeps an event whose publish failed until the sweep gets it through', async () => {
    const events = createEventPublisher(bus.js, log, { outbox: t.store.outbox, sweepMs: 100 });
    await bus.jsm.streams.delete(STREAMS.events.name); // JetStream cannot take the event now
    let staged;
    await t.store.prescriptions.create(tenant, input(), (r) => {
      const s = events.stage(tenant, 'prescription.extracted', { prescription_id: r.prescription_id, job_id: null });
      staged = s.event;
      return [s.op];
    });
    events.release(staged!);
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.store.outbox.pending()).length).toBe(1);
    await ensureStreams(bus.jsm, settings);
    await until('swept', async () => (await t.store.outbox.pending()).length === 0);
    expect(await storedEvents()).toBe(1);
    await events.close();
  });
});
