/**
 * A loopback HTTP server that replays recorded cloud responses, so the real AWS SDK clients
 * (Bedrock, Textract) run end to end in tests with only the network swapped (STYLE habit 18).
 *
 * Routes are matched in order: method, path prefix, for JSON-RPC style AWS APIs the
 * `x-amz-target` header, and optionally a substring of the body. Each route serves its `responses`
 * one after another; the last response repeats once the list is exhausted, unless the route is
 * `once`, in which case it steps aside (so a test can put "429, then 500" in front of a recording). Every request received is recorded for assertions.
 * An unmatched request gets a 599 with a JSON body naming the mismatch, which fails the test
 * loudly instead of hanging it.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { createServer as createHttp2Server } from 'node:http2';
import { readFile } from 'node:fs/promises';

export interface ReplayResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; any other value is sent as JSON. */
  body?: unknown;
}

export interface ReplayRoute {
  /** `bodyIncludes`: the raw request body must contain this string (keys a response to its input). */
  match: { method: string; pathPrefix: string; target?: string; bodyIncludes?: string };
  responses: ReplayResponse[];
  /** When true the route stops matching once its responses are used up, and later routes answer. */
  once?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Index of the matched route, or -1 when nothing matched. */
  route: number;
}

export interface ReplayServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

type Req = { method?: string; url?: string; headers: IncomingHttpHeaders; on(ev: 'data' | 'end', fn: (c?: Buffer) => void): unknown };
type Res = { writeHead(status: number, headers: Record<string, string>): unknown; end(body: string): unknown };

/** HTTP/2 connection preface; a client speaking h2c with prior knowledge sends it first. */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0');

/**
 * Starts a replay server on 127.0.0.1 and a random port. It speaks HTTP/1.1 and cleartext HTTP/2
 * on the same port (the Bedrock runtime client defaults to an HTTP/2 handler, Textract to
 * HTTP/1.1), telling them apart by the connection preface. Close it (or `await using`) when done.
 */
export async function startReplayServer(routes: ReplayRoute[]): Promise<ReplayServer> {
  const served = routes.map(() => 0);
  const requests: RecordedRequest[] = [];
  const handle = (req: Req, res: Res): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c!));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const target = req.headers['x-amz-target'];
      const body = Buffer.concat(chunks).toString('utf8');
      const route = routes.findIndex(
        (r, i) =>
          r.match.method.toUpperCase() === method &&
          path.startsWith(r.match.pathPrefix) &&
          (r.match.target === undefined || r.match.target === target) &&
          (r.match.bodyIncludes === undefined || body.includes(r.match.bodyIncludes)) &&
          !(r.once && served[i]! >= r.responses.length),
      );
      requests.push({ method, path, headers: req.headers, body, route });
      const r = route >= 0 ? routes[route] : undefined;
      if (!r || r.responses.length === 0) {
        res.writeHead(599, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'replay: no route', method, path, target: target ?? null }));
        return;
      }
      const i = Math.min(served[route]!, r.responses.length - 1);
      served[route]! += 1;
      const resp = r.responses[i]!;
      const out = resp.body === undefined ? '' : typeof resp.body === 'string' ? resp.body : JSON.stringify(resp.body);
      // HTTP/2 forbids upper-case header names; recorded headers may use AWS's mixed case.
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const [k, v] of Object.entries(resp.headers ?? {})) headers[k.toLowerCase()] = v;
      headers['content-length'] = String(Buffer.byteLength(out));
      res.writeHead(resp.status, headers);
      res.end(out);
    });
  };
  const h1 = createServer(handle as never);
  const h2 = createHttp2Server(handle as never);
  const sockets = new Set<Socket>();
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const head: Buffer | null = socket.read(H2_PREFACE.length) ?? socket.read();
      if (head === null) return;
      socket.unshift(head);
      (head.subarray(0, H2_PREFACE.length).equals(H2_PREFACE) ? h2 : h1).emit('connection', socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = front.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve, reject) => {
      for (const s of sockets) s.destroy();
      h1.close();
      h2.close();
      front.close((err) => (err ? reject(err) : resolve()));
    }));
  return { url: `http://127.0.0.1:${port}`, requests, close, [Symbol.asyncDispose]: close };
}

/** Loads a recorded fixture file `test/fixtures/replay/<name>.json` (an array of routes). */
export async function loadReplayFixture(name: string): Promise<ReplayRoute[]> {
  const url = new URL(`./fixtures/replay/${name}.json`, import.meta.url);
  return JSON.parse(await readFile(url, 'utf8')) as ReplayRoute[];
}

/** Loads `test/fixtures/replay/aws-errors.json`: recorded AWS error responses by name (e.g. `bedrock-429`). */
export async function loadReplayErrors(): Promise<Record<string, ReplayResponse>> {
  const url = new URL('./fixtures/replay/aws-errors.json', import.meta.url);
  return JSON.parse(await readFile(url, 'utf8')) as Record<string, ReplayResponse>;
}
