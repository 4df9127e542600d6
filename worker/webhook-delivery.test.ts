import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeJson } from '../core/bus.js';
import { eventSubject, STREAMS, type WardEvent } from '../core/contracts.js';
import { testEvent, waitFor } from './testing/fake-gateway.js';
import { startWorkerFixture, TEST_SETTINGS, type WorkerFixture } from './testing/worker-fixture.js';
import { verifyWebhookSignature } from './webhook-signature.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

let f: WorkerFixture;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** Per path: how many requests fail (500) before it answers 200; Infinity = always fails. */
const failuresBeforeSuccess = new Map<string, number>();

beforeAll(async () => {
  f = await startWorkerFixture();
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '';
      const seenBefore = received.filter((r) => r.path === path).length;
      const status = seenBefore < (failuresBeforeSuccess.get(path) ?? 0) ? 500 : 200;
      received.push({ path, headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await f?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

async function publishEvent(event: WardEvent, msgID = event.id): Promise<void> {
  await f.bus.js.publish(eventSubject(event.tenant_id, event.type), encodeJson(event), { msgID });
}

async function consumersIdle(): Promise<boolean> {
  for (const [stream, durable] of [[STREAMS.events.name, STREAMS.events.consumer], [STREAMS.deliveries.name, STREAMS.deliveries.consumer]] as const) {
    const info = await f.bus.jsm.consumers.info(stream, durable);
    if (info.num_pending !== 0 || info.num_ack_pending !== 0) return false;
  }
  return true;
}

function subscribe(id: string, path: string, secret: string, tenant = 'tenant-w'): void {
  f.gateway.webhooks.set(id, { tenant_id: tenant, id, url: `${base}${path}`, secret, events: ['job.completed'] });
}

describe('webhook delivery', () => {
  it('delivers once as a success to a receiver that fails 3 times, same delivery id, signed every time', async () => {
    subscribe('wh-flaky', '/flaky', 'flaky-secret');
    failuresBeforeSuccess.set('/flaky', 3);
    const event = testEvent('tenant-w', 'evt-1');
    await publishEvent(event);
    await waitFor('a successful delivery', () => received.some((r) => r.path === '/flaky' && r.status === 200));
    // The same event again (a redelivered or republished event) must not produce a second delivery.
    await publishEvent(event, 'evt-1-republished');
    await waitFor('consumers idle', consumersIdle);

    const attempts = received.filter((r) => r.path === '/flaky');
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    for (const r of attempts) {
      expect(r.headers['x-wardclerk-delivery']).toBe('evt-1.wh-flaky');
      expect(r.headers['x-wardclerk-event']).toBe('job.completed');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toBe('WardClerk-Webhooks/1');
      expect(JSON.parse(r.body)).toEqual(event);
      const signature = String(r.headers['x-wardclerk-signature']);
      expect(verifyWebhookSignature('flaky-secret', signature, r.body, 300)).toBe(true);
      expect(verifyWebhookSignature('wrong-secret', signature, r.body, 300)).toBe(false);
    }
    expect(f.gateway.deadLetters.filter((d) => d.ref === 'evt-1.wh-flaky')).toEqual([]);
  });

  it('dead-letters a delivery to a receiver that always fails, after the configured attempts', async () => {
    subscribe('wh-down', '/down', 'down-secret');
    failuresBeforeSuccess.set('/down', Infinity);
    await publishEvent(testEvent('tenant-w', 'evt-2'));
    await waitFor('dead letter', () => f.gateway.deadLetters.some((d) => d.ref === 'evt-2.wh-down'));
    await waitFor('consumers idle', consumersIdle);

    expect(received.filter((r) => r.path === '/down')).toHaveLength(TEST_SETTINGS.webhookBackoffMs.length + 1);
    expect(f.gateway.deadLetters.find((d) => d.ref === 'evt-2.wh-down')).toMatchObject({ kind: 'webhooks', tenant_id: 'tenant-w', code: 'PROVIDER_ERROR' });
    const dead = await f.bus.jsm.streams.getMessage(STREAMS.dead.name, { last_by_subj: 'wc.dead.webhooks' });
    expect(dead?.json()).toMatchObject({ ref: 'evt-2.wh-down', attempts: 6, ids: { webhook_id: 'wh-down', event_id: 'evt-2' } });
    expect(new TextDecoder().decode(dead?.data)).not.toContain('down-secret');
  });

  it('fans an event out to every matching subscription of its tenant only', async () => {
    f.gateway.webhooks.clear();
    subscribe('wh-a', '/a', 's-a');
    subscribe('wh-b', '/b', 's-b');
    subscribe('wh-other', '/other', 's-o', 'another-tenant');
    await publishEvent(testEvent('tenant-w', 'evt-3'));
    await waitFor('both delivered', () => ['/a', '/b'].every((p) => received.some((r) => r.path === p && r.body.includes('evt-3'))));
    await waitFor('consumers idle', consumersIdle);
    expect(received.filter((r) => r.body.includes('"evt-3"')).map((r) => r.headers['x-wardclerk-delivery']).sort()).toEqual(['evt-3.wh-a', 'evt-3.wh-b']);
    expect(received.filter((r) => r.path === '/other')).toEqual([]);
  });

  it('reports every attempt to the gateway: failures to be retried, then the success', async () => {
    const results = f.gateway.webhookResults.filter((r) => r.delivery_id === 'evt-1.wh-flaky');
    expect(results.map((r) => [r.attempt, r.outcome, r.status_code])).toEqual([[1, 'failed', 500], [2, 'failed', 500], [3, 'failed', 500], [4, 'delivered', 200]]);
    const dead = f.gateway.webhookResults.filter((r) => r.delivery_id === 'evt-2.wh-down');
    expect(dead.at(-1)).toMatchObject({ outcome: 'dead', attempt: 6, error_code: 'PROVIDER_ERROR', reason: 'http_500' });
  });

  it('refuses a target outside the allow-list at delivery time: dead-lettered at once, nothing sent', async () => {
    // 127.0.0.2 is loopback but not allow-listed (the fixture allows 127.0.0.1 only); so is a mapped form of a private address.
    const port = new URL(base).port;
    f.gateway.webhooks.set('wh-ssrf', { tenant_id: 'tenant-w', id: 'wh-ssrf', url: `http://127.0.0.2:${port}/ssrf`, secret: 's', events: ['job.completed'] });
    f.gateway.webhooks.set('wh-meta', { tenant_id: 'tenant-w', id: 'wh-meta', url: 'http://[::ffff:169.254.169.254]/latest', secret: 's', events: ['job.completed'] });
    await publishEvent(testEvent('tenant-w', 'evt-5'));
    await waitFor('dead letters', () => ['evt-5.wh-ssrf', 'evt-5.wh-meta'].every((ref) => f.gateway.deadLetters.some((d) => d.ref === ref)));
    await waitFor('consumers idle', consumersIdle);
    expect(received.filter((r) => r.path === '/ssrf')).toEqual([]);
    for (const id of ['wh-ssrf', 'wh-meta']) {
      expect(f.gateway.deadLetters.find((d) => d.ref === `evt-5.${id}`)).toMatchObject({ code: 'WEBHOOK_TARGET_FORBIDDEN' });
      expect(f.gateway.webhookResults.filter((r) => r.delivery_id === `evt-5.${id}`)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'dead' })]);
    }
    f.gateway.webhooks.delete('wh-ssrf');
    f.gateway.webhooks.delete('wh-meta');
  });

  it('stops retrying once the gateway disables the subscription, and dead-letters its later deliveries at once', async () => {
    f.gateway.webhooks.clear();
    subscribe('wh-dying', '/dying', 'dying-secret');
    failuresBeforeSuccess.set('/dying', Infinity);
    f.gateway.disableAfterFailures = 2;
    try {
      await publishEvent(testEvent('tenant-w', 'evt-6'));
      await waitFor('dead letter', () => f.gateway.deadLetters.some((d) => d.ref === 'evt-6.wh-dying'));
      await waitFor('consumers idle', consumersIdle);
      // Disabled after the 2nd failure: no 3rd attempt, although the back-off allows six.
      expect(received.filter((r) => r.path === '/dying')).toHaveLength(2);
      expect(f.gateway.deadLetters.find((d) => d.ref === 'evt-6.wh-dying')).toMatchObject({ code: 'WEBHOOK_DISABLED' });
      // A delivery already queued for the disabled subscription is not sent.
      await f.bus.js.publish('wc.deliveries.tenant-w', encodeJson({ delivery_id: 'evt-7.wh-dying', tenant_id: 'tenant-w', webhook_id: 'wh-dying', event: testEvent('tenant-w', 'evt-7') }), { msgID: 'evt-7.wh-dying' });
      await waitFor('dead letter', () => f.gateway.deadLetters.some((d) => d.ref === 'evt-7.wh-dying'));
      expect(received.filter((r) => r.path === '/dying')).toHaveLength(2);
      expect(f.gateway.webhookResults.filter((r) => r.delivery_id === 'evt-7.wh-dying')).toEqual([expect.objectContaining({ outcome: 'dead', error_code: 'WEBHOOK_DISABLED' })]);
    } finally {
      f.gateway.disableAfterFailures = null;
    }
  });

  it('drops a delivery whose subscription was deleted', async () => {
    // The fan-out saw the subscription; by delivery time it is gone (webhookGet answers null).
    const deliveries = await f.bus.jsm.consumers.info(STREAMS.deliveries.name, STREAMS.deliveries.consumer);
    const before = deliveries.delivered.consumer_seq;
    await f.bus.js.publish('wc.deliveries.tenant-w', encodeJson({ delivery_id: 'evt-4.wh-gone', tenant_id: 'tenant-w', webhook_id: 'wh-gone', event: testEvent('tenant-w', 'evt-4') }), { msgID: 'evt-4.wh-gone' });
    await waitFor('consumers idle', consumersIdle);
    expect((await f.bus.jsm.consumers.info(STREAMS.deliveries.name, STREAMS.deliveries.consumer)).delivered.consumer_seq).toBe(before + 1);
    expect(received.filter((r) => r.body.includes('evt-4'))).toEqual([]);
    expect(f.gateway.deadLetters.filter((d) => d.ref === 'evt-4.wh-gone')).toEqual([]);
  });
});
