/**
 * Server-level guards of the gateway process: nothing a client sends, and no connection state the
 * bus reports, may end the process. HTTP parse errors and socket resets get a plain answer (headers
 * too large: a coded 431 in the error envelope) or a quiet close; headers that trickle in
 * (slow-loris) are cut off; the listener's own errors and the NATS connection's status changes
 * are logged with codes only (never payloads).
 */
import { randomUUID } from 'node:crypto';
import { maxHeaderSize, type Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { NatsConnection } from '@nats-io/nats-core';
import { WardClerkError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** Node HTTP server options: short header deadline, checked often enough to enforce it. */
export function httpServerOptions(headersTimeoutMs: number): ServerOptions {
  return {
    headersTimeout: headersTimeoutMs,
    // A whole request (headers and body, e.g. a 25 MB document) must arrive within this.
    requestTimeout: Math.max(120_000, headersTimeoutMs + 1000),
    // Node checks the two deadlines above on this interval (30 s by default).
    connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
    keepAliveTimeout: 5000,
  };
}

// How long a closing connection keeps reading (and discarding) what the client still sends.
const LINGER_MS = 2000;

// Sockets answered and closing: later parse errors from the bytes still arriving (a 70 KB header
// fails again on each chunk) must not cut the lingering close short with a reset.
const lingering = new WeakSet<Duplex>();

const STATUS_FOR: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/**
 * The answer to a request line and headers over Node's limit (a 50 kB query string): 431 with the
 * standard error envelope, as `app.onError` would render REQUEST_HEADERS_TOO_LARGE. No handler
 * ran, so the request id is a fresh one; nothing the client sent (the URL may hold PHI) is echoed.
 */
function headersTooLarge(maxBytes: number): string {
  const requestId = randomUUID();
  const error = new WardClerkError('REQUEST_HEADERS_TOO_LARGE', 'The request line and headers are too large; send long input in a request body', { details: { max_bytes: maxBytes } });
  const body = JSON.stringify({ status: 'error', error: error.toJSON(), metadata: { timestamp: new Date().toISOString(), request_id: requestId } });
  return [
    `HTTP/1.1 ${error.status} Request Header Fields Too Large`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Answers a client error (bad request line, headers too large, timeout) and closes that socket. */
function onClientError(err: Error & { code?: string }, socket: Duplex, maxHeaderBytes: number, log: Logger): void {
  if (lingering.has(socket)) return; // already answered: a later chunk failed to parse again
  log.debug({ code: err.code }, 'http client error');
  // Reset by the peer, or a response already under way: nothing sensible can be written.
  if (err.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  lingering.add(socket);
  if (err.code === 'HPE_HEADER_OVERFLOW') socket.end(headersTooLarge(maxHeaderBytes));
  else socket.end(`HTTP/1.1 ${STATUS_FOR[err.code ?? ''] ?? '400 Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // Lingering close, as below: discard what the client still sends so the answer is not reset away.
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('end', () => {
    clearTimeout(timer);
    socket.destroy();
  });
  socket.resume();
}

/**
 * Lingering close (RFC 9112 §9.6): when Node closes a connection after its response (Connection:
 * close, or an early 401/413 before the body was read), it would destroy the socket with the
 * client's upload still arriving; the kernel then answers with a reset, and the client loses the
 * response it had not read yet. Instead: half-close, keep discarding input until the client closes
 * or LINGER_MS pass, then destroy.
 */
function lingerOnClose(socket: Socket): void {
  socket.destroySoon = function destroySoon(this: Socket) {
    if (this.writable) this.end();
    const linger = () => {
      if (this.destroyed) return;
      if (this.readableEnded) {
        this.destroy();
        return;
      }
      const timer = setTimeout(() => this.destroy(), LINGER_MS);
      timer.unref();
      this.once('end', () => {
        clearTimeout(timer);
        this.destroy();
      });
      this.once('close', () => clearTimeout(timer));
      this.resume();
    };
    if (this.writableFinished) linger();
    else this.once('finish', linger);
  };
}

/** Installs the listeners that keep a bad client or a broken socket from ending the process. */
export function guardHttpServer(server: Server, log: Logger): void {
  // The server's own limit when it was given one, else Node's (--max-http-header-size, 16 KiB).
  const maxHeaderBytes = (server as Server & { maxHeaderSize?: number }).maxHeaderSize ?? maxHeaderSize;
  server.on('clientError', (err, socket) => onClientError(err, socket, maxHeaderBytes, log));
  server.on('error', (err: NodeJS.ErrnoException) => log.error({ code: err.code }, 'http server error'));
  server.on('connection', (socket: Socket) => {
    // Per-connection errors before the HTTP parser has the socket (TLS terminators, resets).
    socket.on('error', () => {
      if (!lingering.has(socket)) socket.destroy();
    });
    lingerOnClose(socket);
  });
}

/** Logs the NATS connection's status changes (disconnect, reconnect, errors) for as long as it lives. */
export function watchBusStatus(nc: NatsConnection, log: Logger): void {
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'ping' || s.type === 'reconnecting') continue;
      const level = s.type === 'reconnect' ? 'info' : 'warn';
      log[level]({ nats_status: s.type, ...('error' in s && s.error ? { code: (s.error as { code?: string }).code ?? (s.error as Error).name } : {}) }, 'nats connection status');
    }
  })().catch(() => undefined);
  void nc.closed().then((err) => {
    if (err) log.error({ code: (err as { code?: string }).code ?? err.name }, 'nats connection closed with an error');
  });
}
