import { describe, expect, it } from 'vitest';
import { encodeJson } from '../core/bus.js';
import { itemSubject, STREAMS } from '../core/contracts.js';
import { createLogger } from '../core/logger.js';
import { waitFor } from './testing/fake-gateway.js';
import { startWorkerFixture, TEST_SETTINGS } from './testing/worker-fixture.js';
import { listenItemMaxDeliveries } from './item-max-deliveries.js';
import type { MaxDeliveriesOutcome } from './max-deliveries.js';

describe('items MAX_DELIVERIES advisory', () => {
  it('fails and dead-letters an item whose worker died on every allowed delivery', async () => {
    await using f = await startWorkerFixture({ start: false });
    const outcomes: MaxDeliveriesOutcome[] = [];
    const listener = listenItemMaxDeliveries({ bus: f.bus, log: createLogger({ level: 'silent', role: 'test' }), onOutcome: (o) => outcomes.push(o) });
    f.gateway.addItem('t1', 'job-crash', 0, 'crash note');
    await f.bus.js.publish(itemSubject('t1'), encodeJson({ tenant_id: 't1', job_id: 'job-crash', index: 0 }), { msgID: 'job-crash.0' });

    // A "worker" that takes the message and dies before settling it, on every delivery.
    const consumer = await f.bus.js.consumers.get(STREAMS.items.name, STREAMS.items.consumer);
    let taken = 0;
    await waitFor('advisory handled', async () => {
      const m = await consumer.next({ expires: 1000 });
      if (m) taken++;
      return outcomes.length > 0;
    }, 20_000);
    await listener.close();

    expect(taken).toBe(TEST_SETTINGS.itemMaxDeliver);
    expect(outcomes).toEqual(['failed']);
    expect(f.gateway.item('job-crash', 0)).toMatchObject({ state: 'failed', error: { code: 'INTERNAL' } });
    expect(f.gateway.deadLetters).toEqual([expect.objectContaining({ kind: 'items', ref: 'job-crash.0', tenant_id: 't1' })]);
    expect((await f.bus.jsm.streams.info(STREAMS.items.name)).state.messages).toBe(0);
    expect(f.gateway.engineCalls.size).toBe(0);
  });
});
