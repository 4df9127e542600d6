/**
 * Hand-built WebSocket traffic for hostile-input tests: a raw `net` socket that performs the
 * upgrade and then writes whatever frame bytes a test builds (bad reserved bits, unknown opcodes,
 * unmasked frames, lying length fields), and a builder for such frames (RFC 6455 §5.2).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface FrameSpec {
  /** Default true. */
  fin?: boolean;
  /** RSV1..3 as bits 0b100, 0b010, 0b001 (default 0). */
  rsv?: number;
  opcode: number;
  payload?: Buffer | string;
  /** Default true (clients must mask). */
  mask?: boolean;
  /** Length written in the header; defaults to the payload's. Lets a test declare 100 MB and send 10 bytes. */
  declaredLength?: number;
}

/** The bytes of one frame as `spec` describes it (valid or not). */
export function buildFrame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : (spec.payload ?? Buffer.alloc(0));
  const len = spec.declaredLength ?? payload.length;
  const mask = spec.mask ?? true;
  const b0 = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (len < 126) header = Buffer.from([b0, (mask ? 0x80 : 0) | len]);
  else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = b0;
    header[1] = (mask ? 0x80 : 0) | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = b0;
    header[1] = (mask ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!mask) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] = masked[i]! ^ key[i % 4]!;
  return Buffer.concat([header, key, masked]);
}

export interface RawWs {
  socket: Socket;
  /** The status line and headers the server answered the upgrade with. */
  response: string;
  /** Bytes received after the upgrade response. */
  received(): Buffer;
  /** Resolves when the server closes or resets the connection (true), or after `ms` (false). */
  closedWithin(ms: number): Promise<boolean>;
  destroy(): void;
}

/** The upgrade request for `path` on `host:port`, with optional extra header lines. */
export function upgradeRequest(host: string, port: number, path = '/api/v1/ws', extra: string[] = []): string {
  return [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...extra,
    '',
    '',
  ].join('\r\n');
}

/** Connects, upgrades `path` and resolves once the response headers are in (any status). */
export function rawUpgrade(base: string, path = '/api/v1/ws', extra: string[] = [], timeoutMs = 5000): Promise<RawWs> {
  const u = new URL(base);
  const host = u.hostname;
  const port = Number(u.port);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buf = Buffer.alloc(0);
    let response = '';
    let closed = false;
    const closeWaiters: Array<() => void> = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no upgrade response'));
    }, timeoutMs);
    socket.on('error', () => undefined); // a reset is an answer the tests look at, not a failure
    socket.on('close', () => {
      closed = true;
      for (const w of closeWaiters.splice(0)) w();
      if (!response) {
        clearTimeout(timer);
        reject(new Error('closed before an upgrade response'));
      }
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (response) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      response = buf.subarray(0, end).toString('latin1');
      buf = buf.subarray(end + 4);
      resolve({
        socket,
        response,
        received: () => buf,
        closedWithin: (ms) =>
          closed
            ? Promise.resolve(true)
            : new Promise<boolean>((r) => {
                const t = setTimeout(() => r(false), ms);
                closeWaiters.push(() => {
                  clearTimeout(t);
                  r(true);
                });
              }),
        destroy: () => socket.destroy(),
      });
    });
    socket.on('connect', () => socket.write(upgradeRequest(host, port, path, extra)));
  });
}
