import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import { encodeJson } from '../core/bus.js';
import { itemSubject, STREAMS } from '../core/contracts.js';
import { createLogger } from '../core/logger.js';
import { startNatsServer } from '../test/nats-server.js';
import { FakeGateway, waitFor } from './testing/fake-gateway.js';
import { runWorker } from './main.js';

const log = createLogger({ level: 'silent', role: 'worker' });

describe('runWorker', () => {
  it('refuses to start without NATS_URL, naming the variable', async () => {
    const config = loadConfig({ WARDCLERK_DATA_DIR: '/tmp/wardclerk-unused' });
    await expect(runWorker(config, { log })).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { variable: 'NATS_URL' }, message: expect.stringContaining('NATS_URL') });
  });

  it('creates the streams, processes batch items, and closes cleanly', async () => {
    // FakeGateway serves the store and the engine on one connection: no per-role users here.
    await using nats = await startNatsServer({ auth: false });
    const gateway = await FakeGateway.start(nats.url);
    try {
      const config = loadConfig({ NATS_URL: nats.url, WARDCLERK_DATA_DIR: '/tmp/wardclerk-unused', WARDCLERK_ITEM_ACK_WAIT_MS: '1000' });
      const worker = await runWorker(config, { log });
      const names = [];
      for await (const s of gateway.bus.jsm.streams.list()) names.push(s.config.name);
      expect(names.sort()).toEqual([STREAMS.dead.name, STREAMS.deliveries.name, STREAMS.docs.name, STREAMS.events.name, STREAMS.items.name, STREAMS.notes.name]);

      for (let i = 0; i < 5; i++) {
        gateway.addItem('t', 'job-main', i, `main note ${i}`);
        await gateway.bus.js.publish(itemSubject('t'), encodeJson({ tenant_id: 't', job_id: 'job-main', index: i }), { msgID: `job-main.${i}` });
      }
      await waitFor('items done', () => [0, 1, 2, 3, 4].every((i) => gateway.item('job-main', i)?.state === 'succeeded'));
      await worker.close();
      await worker.close(); // idempotent

      // After close nothing consumes: a new item stays queued.
      gateway.addItem('t', 'job-main', 5, 'after close');
      await gateway.bus.js.publish(itemSubject('t'), encodeJson({ tenant_id: 't', job_id: 'job-main', index: 5 }), { msgID: 'job-main.5' });
      const info = await gateway.bus.jsm.consumers.info(STREAMS.items.name, STREAMS.items.consumer);
      expect(info.num_pending).toBe(1);
      expect(gateway.item('job-main', 5)?.state).toBe('pending');
    } finally {
      await gateway.close();
    }
  });
});
