/**
 * Hostile WebSocket traffic for the fuzz suite: malformed upgrade requests, and upgraded sockets
 * (with or without a token) that send random frames — bad reserved bits, unknown opcodes, lying
 * lengths, unmasked and fragmented control frames, random JSON of every frame type.
 */
import { randomBytes } from 'node:crypto';
import { buildFrame, rawUpgrade, upgradeRequest, type FrameSpec } from '../../test/raw-ws.js';
import { randomJson } from './hostile-bodies.js';
import type { Rng } from './prng.js';
import { exchange, type Exchange } from './raw-http.js';

export type WsOutcome = { outcome: 'refused'; status: number } | { outcome: 'closed' } | { outcome: 'open' } | { outcome: 'hang' };

function randomFrame(rng: Rng): FrameSpec {
  const json = () => JSON.stringify(rng.chance(0.5) ? { type: rng.pick(['auth', 'ping', 'generate', 'cancel', 'bogus', 'event']), ...(randomJson(rng) as object) } : randomJson(rng)) ?? 'null';
  const r = rng.int(0, 9);
  if (r < 4) return { opcode: 0x1, payload: json() };
  return {
    opcode: rng.pick([0x0, 0x1, 0x2, 0x3, 0x7, 0x8, 0x9, 0xa, 0xb, 0xf]),
    fin: rng.chance(0.8),
    rsv: rng.chance(0.3) ? rng.int(1, 7) : 0,
    mask: rng.chance(0.85),
    payload: rng.chance(0.5) ? json() : rng.bytes(rng.int(0, rng.chance(0.1) ? 300_000 : 200)),
    ...(rng.chance(0.1) ? { declaredLength: rng.pick([126, 65_536, 100 * 1024 * 1024, 2 ** 40]) } : {}),
  };
}

/** A malformed upgrade request (must be refused with a status, not crash or hang). */
function badUpgrade(rng: Rng, host: string, port: number): Buffer {
  const good = upgradeRequest(host, port);
  const variant = rng.int(0, 7);
  const req = [
    () => good.replace(/Sec-WebSocket-Key: .*\r\n/, ''),
    () => good.replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 8'),
    () => good.replace(/Sec-WebSocket-Key: .*\r\n/, 'Sec-WebSocket-Key: short\r\n'),
    () => good.replace('Upgrade: websocket', 'Upgrade: websocketx'),
    () => good.replace('GET /api/v1/ws', rng.pick(['GET /api/v1/wsx', 'GET /api/v1/ws/../ws', 'GET /healthz', 'GET /api/v1/ws?token=abc'])),
    () => good.replace('GET ', 'POST '),
    () => good.replace('\r\n\r\n', `\r\nSec-WebSocket-Protocol: ${rng.pick(['', ',,,', 'wardclerk.v1, ' + 'a'.repeat(9000), 'x y z', 'wardclerk.v1, a.b.c'])}\r\n\r\n`),
    () => good.replace('\r\n\r\n', '\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99\r\n\r\n'),
  ][variant]!();
  return Buffer.from(req, 'latin1');
}

/** Runs one WebSocket case and reports how the server answered. */
export async function hostileWs(rng: Rng, base: string, clientToken: string, timeoutMs: number): Promise<{ kinds: string[]; result: WsOutcome }> {
  const u = new URL(base);
  if (rng.chance(0.3)) {
    const ex: Exchange = await exchange(u.hostname, Number(u.port), { chunks: [badUpgrade(rng, u.hostname, Number(u.port))] }, timeoutMs);
    const kinds = ['ws-bad-upgrade'];
    if (ex.outcome === 'hang') return { kinds, result: { outcome: 'hang' } };
    if (ex.outcome === 'closed') return { kinds, result: { outcome: 'closed' } };
    return { kinds, result: ex.status === 101 ? { outcome: 'open' } : { outcome: 'refused', status: ex.status } };
  }
  const withToken = rng.chance(0.5);
  const kinds = [withToken ? 'ws-token' : 'ws-anonymous'];
  let raw;
  try {
    raw = await rawUpgrade(base, '/api/v1/ws', withToken ? [`Sec-WebSocket-Protocol: wardclerk.v1, ${clientToken}`] : [], timeoutMs);
  } catch (e) {
    return { kinds, result: /no upgrade response/.test((e as Error).message) ? { outcome: 'hang' } : { outcome: 'closed' } };
  }
  try {
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw.response)?.[1] ?? 0);
    if (status !== 101) return { kinds, result: { outcome: 'refused', status } };
    for (let i = rng.int(1, 4); i > 0 && !raw.socket.destroyed; i--) {
      const spec = randomFrame(rng);
      kinds.push(`op${spec.opcode}${spec.rsv ? '-rsv' : ''}${spec.mask === false ? '-unmasked' : ''}${spec.declaredLength ? '-lying' : ''}`);
      raw.socket.write(buildFrame(spec));
    }
    if (rng.chance(0.1)) raw.socket.write(randomBytes(rng.int(1, 64)));
    const closed = await raw.closedWithin(rng.int(50, 500));
    return { kinds, result: closed ? { outcome: 'closed' } : { outcome: 'open' } };
  } finally {
    raw.destroy();
  }
}
