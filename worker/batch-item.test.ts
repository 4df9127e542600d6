import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJson } from '../core/bus.js';
import { itemSubject, STREAMS } from '../core/contracts.js';
import { WardClerkError } from '../core/errors.js';
import { waitFor } from './testing/fake-gateway.js';
import { startWorkerFixture, TEST_SETTINGS, type WorkerFixture } from './testing/worker-fixture.js';

let f: WorkerFixture;
beforeAll(async () => {
  f = await startWorkerFixture();
});
afterAll(async () => {
  await f?.close();
});

const tenant = 'tenant-a';

async function publishItem(job: string, index: number, msgID = `${job}.${index}`): Promise<void> {
  await f.bus.js.publish(itemSubject(tenant), encodeJson({ tenant_id: tenant, job_id: job, index }), { msgID });
}

/** Deliveries made by the items consumer so far (redeliveries included). */
async function deliveries(): Promise<number> {
  return (await f.bus.jsm.consumers.info(STREAMS.items.name, STREAMS.items.consumer)).delivered.consumer_seq;
}

async function queueIdle(): Promise<boolean> {
  const info = await f.bus.jsm.consumers.info(STREAMS.items.name, STREAMS.items.consumer);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

describe('batch item handler', () => {
  it('processes every item exactly once, even when messages are redelivered or duplicated', async () => {
    const job = 'job-once';
    for (let i = 0; i < 20; i++) f.gateway.addItem(tenant, job, i, `once note ${i}`);
    // Item 3's first completion is stored but its reply is lost: the worker retries a done item.
    f.gateway.loseCompleteReply.add(`${job}.3`);
    for (let i = 0; i < 20; i++) await publishItem(job, i);
    // The same items again under new message ids (past the duplicate window, as after a replay),
    // while the originals may still be in flight: both copies may reach the engine, one record is kept.
    for (const i of [0, 3, 7, 19]) await publishItem(job, i, `${job}.${i}.again`);

    await waitFor('all items settled', async () => [...Array(20).keys()].every((i) => f.gateway.item(job, i)?.state === 'succeeded') && (await queueIdle()));
    for (let i = 0; i < 20; i++) expect(f.gateway.created.get(`${job}.${i}`), `item ${i}`).toBe(1);
    expect(f.gateway.loseCompleteReply.size).toBe(0);

    // Once an item is done, a redelivery (a replay, a lost ack) does not call the engine again.
    const calls = new Map([0, 3, 7, 19].map((i) => [i, f.gateway.engineCalls.get(`once note ${i}`)]));
    for (const i of [0, 3, 7, 19]) await publishItem(job, i, `${job}.${i}.later`);
    await waitFor('replays handled', queueIdle);
    for (const i of [0, 3, 7, 19]) {
      expect(f.gateway.engineCalls.get(`once note ${i}`), `item ${i}`).toBe(calls.get(i));
      expect(f.gateway.created.get(`${job}.${i}`), `item ${i}`).toBe(1);
    }
  });

  it('retries a transient engine error, then succeeds', async () => {
    const job = 'job-transient';
    f.gateway.addItem(tenant, job, 0, 'flaky note');
    const previous = f.gateway.engineScript;
    f.gateway.engineScript = (text, call) =>
      text === 'flaky note' && call <= 2 ? new WardClerkError('ENGINE_UNAVAILABLE', 'engine busy (test)') : previous(text, call);
    await publishItem(job, 0);
    await waitFor('item succeeded', () => f.gateway.item(job, 0)?.state === 'succeeded');
    expect(f.gateway.engineCalls.get('flaky note')).toBe(3);
    expect(f.gateway.created.get(`${job}.0`)).toBe(1);
  });

  it('fails the item at once on a permanent error', async () => {
    const job = 'job-permanent';
    f.gateway.addItem(tenant, job, 0, '   ');
    const previous = f.gateway.engineScript;
    f.gateway.engineScript = (text, call) => (text === '   ' ? new WardClerkError('EMPTY_TEXT', 'Text is empty') : previous(text, call));
    const before = await deliveries();
    await publishItem(job, 0);
    await waitFor('item failed', () => f.gateway.item(job, 0)?.state === 'failed');
    await waitFor('queue idle', queueIdle);
    expect(f.gateway.item(job, 0)?.error?.code).toBe('EMPTY_TEXT');
    expect(f.gateway.engineCalls.get('   ')).toBe(1);
    expect(await deliveries()).toBe(before + 1); // termed, not redelivered
    expect(f.gateway.deadLetters.filter((d) => d.ref === `${job}.0`)).toEqual([]);
  });

  it('dead-letters an item after its last allowed delivery', async () => {
    const job = 'job-dead';
    f.gateway.addItem(tenant, job, 0, 'always down');
    const previous = f.gateway.engineScript;
    f.gateway.engineScript = (text, call) => (text === 'always down' ? new WardClerkError('ENGINE_UNAVAILABLE', 'down (test)') : previous(text, call));
    await publishItem(job, 0);
    await waitFor('item dead-lettered', () => f.gateway.deadLetters.some((d) => d.ref === `${job}.0`));
    await waitFor('queue idle', queueIdle);
    expect(f.gateway.item(job, 0)).toMatchObject({ state: 'failed', error: { code: 'ENGINE_UNAVAILABLE' } });
    expect(f.gateway.engineCalls.get('always down')).toBe(TEST_SETTINGS.itemMaxDeliver);
    expect(f.gateway.deadLetters.find((d) => d.ref === `${job}.0`)).toMatchObject({ tenant_id: tenant, kind: 'items', code: 'ENGINE_UNAVAILABLE' });
    const dead = await f.bus.jsm.streams.getMessage(STREAMS.dead.name, { last_by_subj: 'wc.dead.items' });
    expect(dead?.json()).toMatchObject({ kind: 'items', ref: `${job}.0`, code: 'ENGINE_UNAVAILABLE', attempts: 3 });
    // Ids only in the dead-letter stream: the note text is not there.
    expect(new TextDecoder().decode(dead?.data)).not.toContain('always down');
    // The work-queue stream no longer holds the item.
    const items = await f.bus.jsm.streams.info(STREAMS.items.name);
    expect(items.state.messages).toBe(0);
  });

  it('keeps a slow extraction alive past the ack deadline instead of letting it be redelivered', async () => {
    const job = 'job-slow';
    f.gateway.addItem(tenant, job, 0, 'slow note');
    const previous = f.gateway.engineScript;
    const slowMs = TEST_SETTINGS.itemAckWaitMs * 3;
    f.gateway.engineScript = (text, call) =>
      text === 'slow note' ? new Promise((r) => setTimeout(() => r(previous(text, call)), slowMs)) : previous(text, call);
    const before = await deliveries();
    await publishItem(job, 0);
    await waitFor('item succeeded', () => f.gateway.item(job, 0)?.state === 'succeeded');
    await waitFor('queue idle', queueIdle);
    expect(f.gateway.engineCalls.get('slow note')).toBe(1);
    expect(await deliveries()).toBe(before + 1);
  });

  it('processes a chunk message with one engine call and one store write, each item exactly once', async () => {
    const job = 'job-chunk';
    for (let i = 0; i < 30; i++) f.gateway.addItem(tenant, job, i, `chunk note ${i}`);
    // Item 4 was already done by an earlier delivery: it is neither extracted nor stored again.
    f.gateway.item(job, 4)!.state = 'succeeded';
    f.gateway.item(job, 4)!.prescription_id = 'rx-earlier';
    const engineBefore = f.gateway.engineBatchCalls;
    const settleBefore = f.gateway.settleCalls;
    await f.bus.js.publish(itemSubject(tenant), encodeJson({ tenant_id: tenant, job_id: job, index: 0, count: 30 }), { msgID: `${job}.0` });
    await waitFor('chunk settled', async () => [...Array(30).keys()].every((i) => f.gateway.item(job, i)?.state === 'succeeded') && (await queueIdle()));
    expect(f.gateway.engineBatchCalls - engineBefore).toBe(1);
    expect(f.gateway.settleCalls - settleBefore).toBe(1);
    for (let i = 0; i < 30; i++) expect(f.gateway.created.get(`${job}.${i}`) ?? 0, `item ${i}`).toBe(i === 4 ? 0 : 1);
    expect(f.gateway.engineCalls.get('chunk note 4')).toBeUndefined();
    expect(f.gateway.item(job, 4)!.prescription_id).toBe('rx-earlier');
  });

  it('in a chunk, a permanent error fails its item only, and a transient one retries only its item', async () => {
    const job = 'job-chunk-mixed';
    for (let i = 0; i < 5; i++) f.gateway.addItem(tenant, job, i, `mixed note ${i}`);
    const previous = f.gateway.engineScript;
    f.gateway.engineScript = (text, call) => {
      if (text === 'mixed note 1') return new WardClerkError('VALIDATION_FAILED', 'bad (test)');
      if (text === 'mixed note 3' && call === 1) return new WardClerkError('OVERLOADED', 'busy (test)');
      return previous(text, call);
    };
    await f.bus.js.publish(itemSubject(tenant), encodeJson({ tenant_id: tenant, job_id: job, index: 0, count: 5 }), { msgID: `${job}.0` });
    await waitFor('chunk settled', async () => f.gateway.item(job, 3)?.state === 'succeeded' && (await queueIdle()));
    expect(f.gateway.item(job, 1)).toMatchObject({ state: 'failed', error: { code: 'VALIDATION_FAILED' } });
    for (const i of [0, 2, 3, 4]) expect(f.gateway.created.get(`${job}.${i}`), `item ${i}`).toBe(1);
    // The retry extracted only the item that failed transiently.
    expect(f.gateway.engineCalls.get('mixed note 3')).toBe(2);
    expect(f.gateway.engineCalls.get('mixed note 0')).toBe(1);
    expect(f.gateway.engineCalls.get('mixed note 1')).toBe(1);
  });

  it('terminates a malformed item message without calling anyone', async () => {
    const calls = f.gateway.engineCalls.size;
    const before = await deliveries();
    await f.bus.js.publish(itemSubject(tenant), encodeJson({ job_id: 42 }), { msgID: 'bad-1' });
    await waitFor('queue idle', queueIdle);
    expect(f.gateway.engineCalls.size).toBe(calls);
    expect(await deliveries()).toBe(before + 1);
    expect((await f.bus.jsm.streams.info(STREAMS.items.name)).state.messages).toBe(0);
  });
});
