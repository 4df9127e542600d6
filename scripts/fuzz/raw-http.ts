/**
 * One HTTP exchange over a raw `net` socket, so the fuzz suite can send what no HTTP client would
 * (bad framing, lying lengths, truncated bodies, odd methods, abusive headers). The answer is the
 * first response's status line and headers (and, for 5xx, up to 64 KiB of body to read its error
 * code), a close without a response, or a hang: nothing within the timeout.
 */
import { connect } from 'node:net';

export type Exchange =
  | { outcome: 'response'; status: number; headers: Record<string, string>; body: string; ms: number }
  | { outcome: 'closed'; ms: number }
  | { outcome: 'hang'; ms: number };

export interface RawRequest {
  /** Written in order; a chunk may be followed by a pause (ms) to exercise slow writers. */
  chunks: Array<Buffer | { pauseMs: number }>;
  /** Half-close the socket after the last chunk (a truncated body then ends at EOF). */
  endAfterWrite?: boolean;
}

const MAX_BODY = 64 * 1024;

function parseHead(head: string): { status: number; headers: Record<string, string> } | null {
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return null;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(m[1]), headers };
}

/** Sends `req` to host:port and resolves with what came back within `timeoutMs`. Never rejects. */
export function exchange(host: string, port: number, req: RawRequest, timeoutMs: number): Promise<Exchange> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let buf = Buffer.alloc(0);
    let head: { status: number; headers: Record<string, string> } | null = null;
    let bodyStart = 0;
    let done = false;
    const finish = (e: Exchange) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(e);
    };
    const respond = () => finish({ outcome: 'response', status: head!.status, headers: head!.headers, body: buf.subarray(bodyStart, bodyStart + MAX_BODY).toString('utf8'), ms: ms() });
    const timer = setTimeout(() => (head ? respond() : finish({ outcome: 'hang', ms: ms() })), timeoutMs);
    socket.on('error', () => (head ? respond() : finish({ outcome: 'closed', ms: ms() })));
    socket.on('close', () => (head ? respond() : finish({ outcome: 'closed', ms: ms() })));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (!head) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        head = parseHead(buf.subarray(0, end).toString('latin1'));
        if (!head) return finish({ outcome: 'closed', ms: ms() }); // not HTTP: as good as no answer
        bodyStart = end + 4;
        // Informational answers (100 Continue) are not the response.
        if (head.status < 200 && head.status !== 101) {
          buf = buf.subarray(bodyStart);
          head = null;
        }
      }
      // Only a 5xx body is read (for its error code); anything else is answered by its status.
      if (head.status < 500) return respond();
      const len = Number(head.headers['content-length'] ?? NaN);
      const have = buf.length - bodyStart;
      if ((Number.isFinite(len) && have >= len) || have >= MAX_BODY) respond();
    });
    socket.on('connect', async () => {
      for (const c of req.chunks) {
        if (done) return;
        if (Buffer.isBuffer(c)) {
          if (!socket.writable) return;
          socket.write(c);
        } else await new Promise((r) => setTimeout(r, c.pauseMs));
      }
      if (req.endAfterWrite && !done) socket.end();
    });
  });
}
