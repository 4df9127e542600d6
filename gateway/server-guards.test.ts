/**
 * The gateway's server guards on a real Node HTTP server (the same serve options and guards as
 * gateway/main.ts), spoken to over raw sockets: a request line over the header limit (a 50 kB
 * query string) gets a coded 431 in the error envelope and a closed connection; other parse
 * errors keep their plain answers; the server goes on serving.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { guardHttpServer, httpServerOptions } from './server-guards.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

interface ErrorEnvelope {
  status: string;
  error: { code: string; message: string; details: Record<string, unknown> };
  metadata: { timestamp: string; request_id: string };
}

let server: Server;
let port: number;

beforeAll(async () => {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/api/v1/patients/:id/search', (c) => c.json({ q: c.req.query('q')?.length ?? 0 }));
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: httpServerOptions(1500) }, () => resolve(s as Server));
  });
  guardHttpServer(server, createLogger({ level: 'silent', role: 'test' }));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes `request` on a fresh socket and reads until the server closes it (or `timeoutMs`). */
function rawExchange(request: string, timeoutMs = 3000): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const parts: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', () => undefined); // a reset after the answer: what was read still counts
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(parts).toString('latin1');
      const end = raw.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = raw.slice(0, end < 0 ? raw.length : end).split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? '')?.[1] ?? NaN);
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status, headers, body: end < 0 ? '' : raw.slice(end + 4), ms: performance.now() - started });
    });
    socket.on('connect', () => socket.end(request));
  });
}

const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: wardclerk.test\r\nConnection: close\r\n\r\n`;

describe('guardHttpServer', () => {
  it('answers a 50 kB query string with 431 REQUEST_HEADERS_TOO_LARGE in the error envelope, and goes on serving', async () => {
    const q = 'c'.repeat(50_000);
    for (let i = 0; i < 3; i++) {
      const answer = await rawExchange(get(`/api/v1/patients/pat_1/search?q=${q}`));
      expect(answer.status).toBe(431);
      expect(answer.ms).toBeLessThan(1000);
      expect(answer.headers['connection']).toBe('close');
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
      const envelope = JSON.parse(answer.body) as ErrorEnvelope;
      expect(envelope.status).toBe('error');
      expect(envelope.error).toMatchObject({ code: 'REQUEST_HEADERS_TOO_LARGE', details: { max_bytes: 16_384 } });
      expect(envelope.metadata.request_id).toBe(answer.headers['x-request-id']);
      // Nothing of the request (a URL may hold PHI) comes back.
      expect(answer.body).not.toContain('ccc');
      const health = await rawExchange(get('/healthz'));
      expect(health.status).toBe(200);
      expect(health.body).toContain('"ok"');
    }
    // Under the limit, the same route is served.
    expect((await rawExchange(get(`/api/v1/patients/pat_1/search?q=${'c'.repeat(1000)}`))).body).toBe('{"q":1000}');
  });

  it('a 70 kB header line is 431 too; other parse errors keep their plain 400 with an empty body', async () => {
    const big = await rawExchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(70_000)}\r\nConnection: close\r\n\r\n`);
    expect(big.status).toBe(431);
    expect((JSON.parse(big.body) as ErrorEnvelope).error.code).toBe('REQUEST_HEADERS_TOO_LARGE');
    for (const bad of ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello', 'GET / HTTP/1.1\r\nBad Header\r\n\r\n']) {
      const answer = await rawExchange(bad);
      expect(answer.status).toBe(400);
      expect(answer.headers['connection']).toBe('close');
      expect(answer.headers['content-length']).toBe('0');
      expect(answer.body).toBe('');
    }
    expect((await rawExchange(get('/healthz'))).status).toBe(200);
  });
});
