import { connect } from 'node:http2';
import { describe, expect, it } from 'vitest';
import { startReplayServer } from './replay-server.js';

async function post(url: string, path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const r = await fetch(url + path, { method: 'POST', body, headers });
  return { status: r.status, body: await r.text() };
}

describe('startReplayServer', () => {
  it('serves a route’s responses in order, repeating the last, and records each request', async () => {
    await using s = await startReplayServer([
      { match: { method: 'POST', pathPrefix: '/', target: 'Svc.Op' }, responses: [{ status: 429, body: { n: 1 } }, { status: 200, body: { n: 2 } }] },
    ]);
    const h = { 'x-amz-target': 'Svc.Op' };
    expect((await post(s.url, '/', 'a', h)).status).toBe(429);
    expect(await post(s.url, '/', 'b', h)).toEqual({ status: 200, body: '{"n":2}' });
    expect((await post(s.url, '/', 'c', h)).status).toBe(200);
    expect(s.requests.map((r) => [r.method, r.path, r.body, r.route])).toEqual([
      ['POST', '/', 'a', 0],
      ['POST', '/', 'b', 0],
      ['POST', '/', 'c', 0],
    ]);
    expect(s.requests[0]!.headers['x-amz-target']).toBe('Svc.Op');
  });

  it('matches on body substrings, lets `once` routes step aside, and answers 599 when nothing matches', async () => {
    await using s = await startReplayServer([
      { match: { method: 'POST', pathPrefix: '/m' }, responses: [{ status: 503 }], once: true },
      { match: { method: 'POST', pathPrefix: '/m', bodyIncludes: '"x":1' }, responses: [{ status: 200, body: 'one' }] },
      { match: { method: 'POST', pathPrefix: '/m' }, responses: [{ status: 200, body: 'other' }] },
    ]);
    expect((await post(s.url, '/m/a', '{"x":1}')).status).toBe(503);
    expect((await post(s.url, '/m/a', '{"x":1}')).body).toBe('one');
    expect((await post(s.url, '/m/a', '{"x":2}')).body).toBe('other');
    const miss = await post(s.url, '/elsewhere', '');
    expect(miss.status).toBe(599);
    expect(s.requests.at(-1)!.route).toBe(-1);
  });

  it('speaks cleartext HTTP/2 on the same port', async () => {
    await using s = await startReplayServer([{ match: { method: 'POST', pathPrefix: '/h2' }, responses: [{ status: 201, headers: { 'X-Amzn-RequestId': 'r1' }, body: { ok: true } }] }]);
    const session = connect(s.url);
    try {
      const res = await new Promise<{ status: number; body: string; id: unknown }>((resolve, reject) => {
        const req = session.request({ ':method': 'POST', ':path': '/h2/x' });
        let status = 0;
        let id: unknown;
        let body = '';
        req.on('response', (h) => {
          status = Number(h[':status']);
          id = h['x-amzn-requestid'];
        });
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => resolve({ status, body, id }));
        req.on('error', reject);
        req.end('hello');
      });
      expect(res).toEqual({ status: 201, body: '{"ok":true}', id: 'r1' });
      expect(s.requests[0]!.body).toBe('hello');
    } finally {
      session.close();
    }
  });
});
