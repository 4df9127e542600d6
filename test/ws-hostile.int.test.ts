/**
 * The WebSocket endpoint against hand-built hostile frames, on a real gateway process listening on
 * a real port: reserved bits, unknown opcodes, oversized and fragmented control frames, unmasked
 * client frames, a 100 MB frame header, trickled (slow-loris) upgrades and a per-IP flood. After
 * each, the same gateway process is alive and still serves /healthz and a valid WebSocket client.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../core/crypto.js';
import { loadOrCreateMasterKey, jetstreamCipherKeyHex } from '../core/master-key.js';
import { credentialsDirOf } from '../core/nats-credentials.js';
import { call, createTenantClient, operatorToken, type TenantClient } from './api-client.js';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';
import { exchange } from '../scripts/fuzz/raw-http.js';
import { buildFrame, rawUpgrade, upgradeRequest, type FrameSpec } from './raw-ws.js';
import { startRole, type RoleProcess } from './role-process.js';

const PASSWORD = 'ws-hostile-admin-password';
let nats: NatsServerHandle;
let dataDir: string;
let gateway: RoleProcess;
let client: TenantClient;

beforeAll(async () => {
  await initCrypto();
  dataDir = await mkdtemp(join(tmpdir(), 'wardclerk-wsh-'));
  const key = await loadOrCreateMasterKey(join(dataDir, 'master.key'));
  nats = await startNatsServer({ cipherKeyHex: jetstreamCipherKeyHex(key), credentialsDir: credentialsDirOf(dataDir) });
  gateway = await startRole('gateway', {
    NATS_URL: nats.url,
    WARDCLERK_DATA_DIR: dataDir,
    WARDCLERK_PORT: '0',
    WARDCLERK_HOST: '127.0.0.1',
    WARDCLERK_ADMIN_PASSWORD: PASSWORD,
    WARDCLERK_LOG_LEVEL: 'warn',
    WARDCLERK_HTTP_HEADERS_TIMEOUT_MS: '1500',
  });
  client = await createTenantClient(gateway.url!, await operatorToken(gateway.url!, PASSWORD), 'WS Hostile Hospital');
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await nats?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A well-behaved client: connects with its token and resolves with the first frame (expected `ready`). */
function readyFrame(token: string): Promise<{ type: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${gateway.url!.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', token]);
    const t = setTimeout(() => reject(new Error('no frame')), 5000);
    ws.on('error', reject);
    ws.once('message', (raw) => {
      clearTimeout(t);
      resolve(JSON.parse(String(raw)) as { type: string });
      ws.close();
    });
  });
}

async function stillServing(): Promise<void> {
  expect(alive(gateway.pid)).toBe(true);
  expect((await call(`${gateway.url}/healthz`)).status).toBe(200);
  expect((await readyFrame(client.token)).type).toBe('ready');
  expect(alive(gateway.pid)).toBe(true);
}

const text = (payload: string, extra: Partial<FrameSpec> = {}): FrameSpec => ({ opcode: 0x1, payload, ...extra });
const HOSTILE: Array<[string, FrameSpec]> = [
  ['RSV1 set (no extension negotiated)', text('{"type":"ping"}', { rsv: 0b100 })],
  ['RSV2 set', text('{"type":"ping"}', { rsv: 0b010 })],
  ['RSV3 set', text('{"type":"ping"}', { rsv: 0b001 })],
  ['unknown data opcode 0x3', { opcode: 0x3, payload: 'x' }],
  ['unknown control opcode 0xB', { opcode: 0xb, payload: 'x' }],
  ['oversized control frame (ping of 126 bytes)', { opcode: 0x9, payload: Buffer.alloc(126, 0x61) }],
  ['fragmented control frame (ping without FIN)', { opcode: 0x9, fin: false, payload: 'hi' }],
  ['unmasked client frame', text('{"type":"ping"}', { mask: false })],
  ['100 MB frame header, 16 bytes sent', text('{"type":"ping"}!', { declaredLength: 100 * 1024 * 1024 })],
  ['continuation without a first fragment', { opcode: 0x0, payload: 'x' }],
  ['invalid UTF-8 in a text frame', { opcode: 0x1, payload: Buffer.from([0xc3, 0x28, 0xff]) }],
  ['close frame with a 1-byte body', { opcode: 0x8, payload: Buffer.from([0x03]) }],
];

describe('HTTP answers that must reach a client still uploading (lingering close)', () => {
  it('a 70 KB header before a 3 MB body gets its 431, and a 3 MB body to a 64 KB route its 413', async () => {
    const { hostname, port } = new URL(gateway.url!);
    const body = Buffer.alloc(3_000_000, 0x41);
    for (let i = 0; i < 8; i++) {
      const big = `POST /api/v1/prescriptions/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'b'.repeat(70_000)}\r\nContent-Length: ${body.length}\r\n\r\n`;
      const a = await exchange(hostname, Number(port), { chunks: [Buffer.from(big), body] }, 5000);
      expect(a.outcome === 'response' && a.status).toBe(431);
      const early = `POST /api/v1/webhooks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${client.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
      const b = await exchange(hostname, Number(port), { chunks: [Buffer.from(early), body] }, 5000);
      expect(b.outcome === 'response' && b.status).toBe(413);
    }
  });
});

describe("the README's WebSocket example", () => {
  it('runs on Node 20 with the ws package: ready, then the pong to its ping', async () => {
    const readme = await readFile(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const block = /```js\n(\/\/ ws-events\.mjs\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // Under node_modules/ so that `import 'ws'` resolves as it does in a checkout; ignored by git.
    const dir = fileURLToPath(new URL('../node_modules/.cache/wardclerk-readme/', import.meta.url));
    await mkdir(dir, { recursive: true });
    const file = join(dir, `ws-events-${process.pid}.mjs`);
    await writeFile(file, block!);
    const child = spawn(process.execPath, [file], { env: { ...process.env, BASE: gateway.url!, TOKEN: client.token }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      await expect.poll(() => out, { timeout: 10_000 }).toContain('{"type":"pong","id":"hello"}');
      expect(out).toContain('"type":"ready"');
    } finally {
      child.kill();
      await rm(file, { force: true });
    }
  });
});

/** A frame of the `x-websocket-frames` catalogue: its type and JSON Schema. */
interface FrameDoc { type: string; schema: { properties: { type: { const: string } } } }
/** The parts of the OpenAPI document this test reads. */
interface OpenApiDoc {
  paths: Record<string, { get?: { description?: string; 'x-websocket-frames'?: { client: FrameDoc[]; server: FrameDoc[] } } } | undefined>;
}

describe('the OpenAPI document', () => {
  it('lists /api/v1/ws with every frame, and /healthz, /readyz, /metrics', async () => {
    const doc = (await call<OpenApiDoc>(`${gateway.url}/api/v1/openapi.json`)).body;
    for (const p of ['/api/v1/ws', '/healthz', '/readyz', '/metrics']) expect(doc.paths[p]?.get, p).toBeDefined();
    const ws = doc.paths['/api/v1/ws']?.get;
    if (!ws?.['x-websocket-frames']) throw new Error('no x-websocket-frames on GET /api/v1/ws');
    const frames = ws['x-websocket-frames'];
    expect(frames.client.map((f) => f.type).sort()).toEqual(['auth', 'cancel', 'generate', 'ping']);
    expect(frames.server.map((f) => f.type).sort()).toEqual(['done', 'error', 'event', 'pong', 'ready', 'token']);
    for (const f of [...frames.client, ...frames.server]) expect(f.schema.properties.type.const).toBe(f.type);
    for (const t of ['auth', 'ping', 'generate', 'cancel', 'ready', 'pong', 'event', 'token', 'done', 'error']) expect(ws.description).toContain(`\`${t}\``);
  });
});

describe('hostile WebSocket frames on /api/v1/ws', () => {
  for (const authenticated of [false, true]) {
    for (const [name, spec] of HOSTILE) {
      it(`${authenticated ? 'authenticated' : 'unauthenticated'}: ${name} closes that socket only`, async () => {
        const raw = await rawUpgrade(gateway.url!, '/api/v1/ws', authenticated ? [`Sec-WebSocket-Protocol: wardclerk.v1, ${client.token}`] : []);
        expect(raw.response).toMatch(/^HTTP\/1\.1 101/);
        raw.socket.write(buildFrame(spec));
        expect(await raw.closedWithin(5000)).toBe(true);
        raw.destroy();
        await stillServing();
      });
    }
  }

  it('a burst of RSV1 frames from many sockets at once leaves the gateway up', async () => {
    const socks = await Promise.all(Array.from({ length: 20 }, () => rawUpgrade(gateway.url!)));
    for (const s of socks) s.socket.write(buildFrame(text('x', { rsv: 0b100 })));
    await Promise.all(socks.map((s) => s.closedWithin(5000)));
    await stillServing();
  });

  it('{"type":"ping"} is answered with {"type":"pong"}, before and after auth', async () => {
    const raw = await rawUpgrade(gateway.url!);
    raw.socket.write(buildFrame(text('{"type":"ping"}')));
    await expect.poll(() => raw.received().toString('latin1'), { timeout: 5000 }).toContain('{"type":"pong"}');
    raw.destroy();
    const ws = new WebSocket(`${gateway.url!.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', client.token]);
    const frames: Array<{ type: string; id?: string }> = [];
    ws.on('message', (m) => frames.push(JSON.parse(String(m)) as (typeof frames)[number]));
    await expect.poll(() => frames.some((f) => f.type === 'ready'), { timeout: 5000 }).toBe(true);
    ws.send(JSON.stringify({ type: 'ping', id: 'p1' }));
    await expect.poll(() => frames.find((f) => f.type === 'pong'), { timeout: 5000 }).toEqual({ type: 'pong', id: 'p1' });
    ws.close();
  });

  it('slow-loris: an upgrade whose headers trickle in is cut off, and others are served meanwhile', async () => {
    const { hostname, port } = new URL(gateway.url!);
    const sock = connect({ host: hostname, port: Number(port) });
    sock.on('error', () => undefined);
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    const request = upgradeRequest(hostname, Number(port));
    let i = 0;
    const trickle = setInterval(() => {
      if (i < request.length - 4 && !sock.destroyed) sock.write(request[i++]!);
    }, 100);
    try {
      await stillServing();
      const started = Date.now();
      await closed; // WARDCLERK_HTTP_HEADERS_TIMEOUT_MS=1500 here
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      clearInterval(trickle);
      sock.destroy();
    }
    await stillServing();
  });

  it('an upgraded socket that never authenticates is dropped', async () => {
    const raw = await rawUpgrade(gateway.url!);
    raw.socket.write(buildFrame({ opcode: 0x1, payload: '{"type":"au', declaredLength: 40 })); // half a frame, then silence
    expect(await raw.closedWithin(12_000)).toBe(true);
    await stillServing();
  }, 20_000);

  it('caps WebSocket connections per client address', async () => {
    const socks = [];
    let refused = 0;
    for (let i = 0; i < 80; i++) {
      try {
        const s = await rawUpgrade(gateway.url!);
        socks.push(s);
        if (!/^HTTP\/1\.1 101/.test(s.response)) refused++;
      } catch {
        refused++;
      }
    }
    for (const s of socks) s.destroy();
    expect(refused).toBeGreaterThan(0);
    await expect.poll(async () => (await readyFrame(client.token).catch(() => ({ type: 'refused' }))).type, { timeout: 5000 }).toBe('ready');
    expect(alive(gateway.pid)).toBe(true);
  });
});
