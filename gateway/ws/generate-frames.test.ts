import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/nats-core';
import type { WebSocket } from 'ws';
import { createLogger } from '../../core/logger.js';
import { startNatsServer, type NatsServerHandle } from '../../test/nats-server.js';
import { bindGenerations } from './generate-frames.js';

/** Just enough of a ws socket: frames sent are recorded. */
function fakeSocket() {
  const sent: any[] = [];
  const ws = { OPEN: 1, readyState: 1, send: (data: string) => sent.push(JSON.parse(data)) } as unknown as WebSocket;
  return { ws, sent };
}

let nats: NatsServerHandle;
let nc: NatsConnection;
const log = createLogger({ level: 'silent', role: 'gateway' });
const client = { kind: 'client' as const, sub: 'c1', tenantId: 't1', scopes: [] };

beforeAll(async () => {
  // One connection plays both the gateway and a scripted engine here, so no per-role users.
  nats = await startNatsServer({ jetstream: false, auth: false });
  nc = await connect({ servers: nats.url });
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

describe('bindGenerations', () => {
  it('refuses an operator principal with FORBIDDEN and never publishes', async () => {
    const { ws, sent } = fakeSocket();
    let published = 0;
    const sub = nc.subscribe('wc.engine.generate', { callback: () => { published++; } });
    const g = bindGenerations(ws, { kind: 'operator', sub: 'op', scopes: ['admin'] }, { nc, log, idleTimeoutMs: 1000 });
    expect(g.handle({ type: 'generate', id: 'x', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 })).toBe(true);
    await nc.flush();
    expect(sent).toEqual([{ type: 'error', id: 'x', error: expect.objectContaining({ code: 'FORBIDDEN' }) }]);
    expect(published).toBe(0);
    expect(g.size()).toBe(0);
    sub.unsubscribe();
  });

  it('reports invalid frames by path and code only, never echoing their content', () => {
    const { ws, sent } = fakeSocket();
    const g = bindGenerations(ws, client, { nc, log, idleTimeoutMs: 1000 });
    g.handle({ type: 'generate', id: 'v', messages: [{ role: 'patient', content: 'SECRET-NOTE' }], max_tokens: 4 });
    expect(sent[0]).toMatchObject({ type: 'error', id: 'v', error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(sent)).not.toContain('SECRET-NOTE');
    expect(JSON.stringify(sent)).not.toContain('patient');
    g.handle({ type: 'cancel' });
    expect(sent[1]).toMatchObject({ type: 'error', id: null, error: { code: 'VALIDATION_FAILED' } });
    expect(g.handle({ type: 'event' })).toBe(false);
    expect(g.handle(null)).toBe(false);
  });

  it('no engine answering → an ENGINE_UNAVAILABLE error frame for that id, and the slot is freed', async () => {
    const { ws, sent } = fakeSocket();
    const g = bindGenerations(ws, client, { nc, log, idleTimeoutMs: 5000, maxPerSocket: 1 });
    g.handle({ type: 'generate', id: 'n', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 });
    g.handle({ type: 'generate', id: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 });
    expect(sent[0]).toMatchObject({ type: 'error', id: 'm', error: { code: 'OVERLOADED', details: { limit: 1 } } });
    for (const deadline = Date.now() + 5000; sent.length < 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    expect(sent[1]).toMatchObject({ type: 'error', id: 'n', error: { code: 'ENGINE_UNAVAILABLE' } });
    expect(g.size()).toBe(0);
  });
});
