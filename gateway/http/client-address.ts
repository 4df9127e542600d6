/** The peer address of a request's TCP connection (not a forwarded header, which anyone can set). */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** The peer address, or null when there is no socket (app.request() in tests). */
export function remoteAddress(c: Context): string | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}
