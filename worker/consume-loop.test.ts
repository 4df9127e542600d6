import { describe, expect, it } from 'vitest';
import type { JsMsg } from '@nats-io/jetstream';
import { encodeJson } from '../core/bus.js';
import { itemSubject, STREAMS } from '../core/contracts.js';
import { createLogger } from '../core/logger.js';
import { waitFor } from './testing/fake-gateway.js';
import { startWorkerFixture } from './testing/worker-fixture.js';
import { startConsumeLoop } from './consume-loop.js';

describe('startConsumeLoop', () => {
  it('keeps at most `concurrency` handlers in flight, and close() waits for them', async () => {
    await using f = await startWorkerFixture({ start: false, settings: { itemAckWaitMs: 5_000 } });
    let inFlight = 0;
    let maxInFlight = 0;
    const handled: number[] = [];
    const releases: Array<() => void> = [];
    const loop = await startConsumeLoop({
      js: f.bus.js, stream: STREAMS.items.name, durable: STREAMS.items.consumer, concurrency: 3,
      log: createLogger({ level: 'silent', role: 'test' }),
      handle: async (msg: JsMsg) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((r) => releases.push(r));
        inFlight--;
        handled.push(msg.seq);
        msg.ack();
      },
    });
    for (let i = 0; i < 10; i++) await f.bus.js.publish(itemSubject('t'), encodeJson({ tenant_id: 't', job_id: 'j', index: i }), { msgID: `j.${i}` });

    await waitFor('three in flight', () => inFlight === 3);
    await f.bus.nc.flush();
    expect(inFlight).toBe(3);
    // Release one at a time until six are done.
    while (handled.length < 6) {
      const before = handled.length;
      releases.shift()?.();
      await waitFor('one handled', () => handled.length > before && (inFlight === 3 || handled.length + inFlight === 10));
    }
    expect(maxInFlight).toBe(3);

    let closed = false;
    const closing = loop.close().then(() => (closed = true));
    await f.bus.nc.flush();
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false); // handlers still in flight
    for (const r of releases.splice(0)) r();
    await closing;
    expect(inFlight).toBe(0);
    expect(handled.length).toBe(9);
    // The messages not yet handled were given back (nak'ed or never pulled): a second loop gets them all.
    const log = createLogger({ level: 'silent', role: 'test' });
    const second = await startConsumeLoop({
      js: f.bus.js, stream: STREAMS.items.name, durable: STREAMS.items.consumer, concurrency: 10, log,
      handle: async (msg: JsMsg) => {
        handled.push(msg.seq);
        msg.ack();
      },
    });
    await waitFor('every message handled', () => new Set(handled).size === 10);
    await second.close();
  });
});
