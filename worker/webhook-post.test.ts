import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook } from './webhook-post.js';

let server: Server;
let base: string;
const seen: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/hang') return; // never answers
      if (req.url === '/redirect') res.writeHead(302, { Location: '/ok' }).end();
      else res.writeHead(req.url === '/ok' ? 204 : 500).end('x');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const post = (path: string, extra: { allowPrivate?: boolean; timeoutMs?: number; host?: string } = {}) =>
  postWebhook({
    url: `${extra.host ?? base}${path}`, body: '{"a":1}', headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' },
    timeoutMs: extra.timeoutMs ?? 2000, allowPrivate: extra.allowPrivate ?? true,
  });

describe('postWebhook', () => {
  it('posts the body and headers; 2xx is success', async () => {
    expect(await post('/ok')).toEqual({ ok: true, status: 204 });
    expect(seen.at(-1)).toMatchObject({ path: '/ok', body: '{"a":1}', headers: { 'x-test': 'yes', 'content-length': '7' } });
  });

  it('reports a non-2xx status as retryable and does not follow redirects', async () => {
    expect(await post('/fail')).toMatchObject({ ok: false, status: 500, code: 'PROVIDER_ERROR', retryable: true });
    const n = seen.length;
    expect(await post('/redirect')).toMatchObject({ ok: false, status: 302, retryable: true });
    expect(seen.length).toBe(n + 1);
  });

  it('times out', async () => {
    expect(await post('/hang', { timeoutMs: 200 })).toMatchObject({ ok: false, code: 'TIMEOUT', retryable: true });
  });

  it('reports a refused connection as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await post('/ok', { host: `http://127.0.0.1:${port}` })).toMatchObject({ ok: false, code: 'PROVIDER_ERROR', retryable: true, reason: 'ECONNREFUSED' });
  });

  it('refuses loopback targets, by IP or by name, when private targets are disallowed', async () => {
    const n = seen.length;
    const port = new URL(base).port;
    for (const host of [base, `http://localhost:${port}`, `http://[::ffff:127.0.0.1]:${port}`]) {
      expect(await post('/ok', { host, allowPrivate: false }), host).toMatchObject({ ok: false, code: 'FORBIDDEN', retryable: false, reason: 'private_target' });
    }
    expect(seen.length).toBe(n);
  });

  it('refuses non-HTTP schemes and bad URLs without retrying', async () => {
    expect(await post('', { host: 'file:///etc/passwd' })).toMatchObject({ ok: false, retryable: false, reason: 'unsupported_scheme' });
    expect(await post('', { host: 'not a url' })).toMatchObject({ ok: false, retryable: false, reason: 'invalid_url' });
  });
});
