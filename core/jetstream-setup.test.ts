/**
 * Streams and consumers against a real nats-server: the item and note consumers' retry back-off
 * doubles from the ack wait and is capped, so the largest configuration the config accepts
 * (WARDCLERK_ITEM_MAX_DELIVER at its maximum, any ack wait) makes a consumer config that the
 * server takes — it once overflowed into a number nats-server refused as invalid JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanos } from '@nats-io/nats-core';
import { connectBus, type Bus } from './bus.js';
import { ITEM_ACK_WAIT_MS_MAX, ITEM_MAX_DELIVER_MAX, loadConfig } from './config.js';
import { STREAMS } from './contracts.js';
import { ITEM_BACKOFF_CAP_MS, backoffSchedule, ensureStreams } from './jetstream-setup.js';
import { createLogger } from './logger.js';
import { startNatsServer, type NatsServerHandle } from '../test/nats-server.js';

const log = createLogger({ level: 'silent', role: 'test' });
let nats: NatsServerHandle;
let bus: Bus;

beforeAll(async () => {
  nats = await startNatsServer({ auth: false });
  bus = await connectBus({ url: nats.url, name: 'jetstream-setup-test', log });
});
afterAll(async () => {
  await bus?.close();
  await nats?.stop();
});

describe('backoffSchedule', () => {
  it('doubles from the first delay and never passes the cap', () => {
    expect(backoffSchedule(1000, 4)).toEqual([1000, 2000, 4000, 8000]);
    const long = backoffSchedule(1000, ITEM_MAX_DELIVER_MAX - 1);
    expect(long).toHaveLength(ITEM_MAX_DELIVER_MAX - 1);
    expect(Math.max(...long)).toBe(ITEM_BACKOFF_CAP_MS);
    // Every entry is a whole number of nanoseconds that JSON writes as an int64, not 1e+23.
    for (const ms of long) expect(Number.isSafeInteger(nanos(ms))).toBe(true);
    // An ack wait above the cap is still the first delay, and nothing is shorter than it.
    expect(backoffSchedule(ITEM_BACKOFF_CAP_MS * 2, 3)).toEqual([ITEM_BACKOFF_CAP_MS * 2, ITEM_BACKOFF_CAP_MS * 2, ITEM_BACKOFF_CAP_MS * 2]);
  });
});

describe('ensureStreams with the largest item settings', () => {
  for (const ackWaitMs of [1000, ITEM_ACK_WAIT_MS_MAX]) {
    it(`max deliver ${ITEM_MAX_DELIVER_MAX} with a ${ackWaitMs} ms ack wait: the server takes the consumers`, async () => {
      const config = loadConfig({ WARDCLERK_DATA_DIR: '/tmp/wardclerk-unused', WARDCLERK_ITEM_MAX_DELIVER: String(ITEM_MAX_DELIVER_MAX), WARDCLERK_ITEM_ACK_WAIT_MS: String(ackWaitMs) });
      await ensureStreams(bus.jsm, config);
      for (const s of [STREAMS.items, STREAMS.notes]) {
        const info = await bus.jsm.consumers.info(s.name, s.consumer);
        expect(info.config.max_deliver).toBe(ITEM_MAX_DELIVER_MAX);
        const backoff = info.config.backoff ?? [];
        expect(backoff).toHaveLength(ITEM_MAX_DELIVER_MAX - 1);
        expect(backoff[0]).toBe(nanos(ackWaitMs));
        expect(Math.max(...backoff)).toBe(nanos(Math.max(ackWaitMs, ITEM_BACKOFF_CAP_MS)));
      }
    });
  }
});
