import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EMPTY_ALLOW_LIST, parseAllowList, type AllowList } from '../core/net/target-policy.js';
import type { ResolveAll } from '../core/net/resolve-target.js';
import { postWebhook } from './webhook-post.js';

let server: Server;
let base: string;
let port: string;
const seen: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];
const LOOPBACK = parseAllowList(['127.0.0.1']);
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
  port = String((server.address() as AddressInfo).port);
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const post = (path: string, extra: { allow?: AllowList; timeoutMs?: number; host?: string; resolveAll?: ResolveAll } = {}) =>
  postWebhook({
    url: `${extra.host ?? base}${path}`, body: '{"a":1}', headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' },
    timeoutMs: extra.timeoutMs ?? 2000, allow: extra.allow ?? LOOPBACK, ...(extra.resolveAll ? { resolveAll: extra.resolveAll } : {}),
  });

describe('postWebhook', () => {
  it('posts the body and headers to an allow-listed loopback receiver; 2xx is success', async () => {
    expect(await post('/ok')).toEqual({ ok: true, status: 204 });
    expect(seen.at(-1)).toMatchObject({ path: '/ok', body: '{"a":1}', headers: { 'x-test': 'yes', 'content-length': '7' } });
  });

  it('reports a non-2xx status as retryable and refuses redirects without following them', async () => {
    expect(await post('/fail')).toMatchObject({ ok: false, status: 500, code: 'PROVIDER_ERROR', retryable: true });
    const n = seen.length;
    expect(await post('/redirect')).toMatchObject({ ok: false, status: 302, retryable: false, reason: 'redirect_refused' });
    expect(seen.length).toBe(n + 1);
  });

  it('times out', async () => {
    expect(await post('/hang', { timeoutMs: 200 })).toMatchObject({ ok: false, code: 'TIMEOUT', retryable: true });
  });

  it('reports a refused connection as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const p = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await post('/ok', { host: `http://127.0.0.1:${p}` })).toMatchObject({ ok: false, code: 'PROVIDER_ERROR', retryable: true, reason: 'ECONNREFUSED' });
  });

  it('refuses loopback targets in every spelling unless allow-listed, without sending anything', async () => {
    const n = seen.length;
    for (const host of [base, `http://localhost:${port}`, `http://[::ffff:127.0.0.1]:${port}`, `http://2130706433:${port}`, `http://0x7f.1:${port}`]) {
      expect(await post('/ok', { host, allow: EMPTY_ALLOW_LIST }), host).toMatchObject({ ok: false, code: 'WEBHOOK_TARGET_FORBIDDEN', retryable: false });
    }
    expect(seen.length).toBe(n);
  });

  it('refuses a name that resolves to a forbidden address, and connects only to the address it checked', async () => {
    const n = seen.length;
    const rebinding: ResolveAll = async () => [{ address: '127.0.0.1', family: 4 }];
    expect(await post('/ok', { host: `http://hooks.test:${port}`, allow: EMPTY_ALLOW_LIST, resolveAll: rebinding }))
      .toMatchObject({ ok: false, code: 'WEBHOOK_TARGET_FORBIDDEN', reason: 'forbidden_address:loopback' });
    expect(seen.length).toBe(n);
    // Allowed by name: the request goes to the resolved (checked) address; the system resolver,
    // which does not know hooks.test, is never asked, and the Host header keeps the name.
    expect(await post('/ok', { host: `http://hooks.test:${port}`, allow: parseAllowList(['hooks.test']), resolveAll: rebinding })).toEqual({ ok: true, status: 204 });
    expect(seen.at(-1)?.headers.host).toBe(`hooks.test:${port}`);
    const unresolvable: ResolveAll = async () => { throw new Error('ENOTFOUND'); };
    expect(await post('/ok', { host: 'http://gone.test', resolveAll: unresolvable })).toMatchObject({ ok: false, retryable: true, reason: 'dns_unresolvable' });
  });

  it('refuses non-HTTP schemes, credentials in the URL and bad URLs without retrying', async () => {
    expect(await post('', { host: 'file:///etc/passwd' })).toMatchObject({ ok: false, retryable: false, reason: 'unsupported_scheme' });
    expect(await post('', { host: 'not a url' })).toMatchObject({ ok: false, retryable: false, reason: 'invalid_url' });
    expect(await post('/ok', { host: `http://u:p@127.0.0.1:${port}` })).toMatchObject({ ok: false, retryable: false, reason: 'credentials_in_url' });
  });
});
