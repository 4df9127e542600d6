/**
 * The HTTP baseline for `npm run bench`: a bare Hono route on @hono/node-server that parses the
 * same JSON body as POST /api/v1/prescriptions and answers 201. Prints its port on stdout.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

const app = new Hono();
app.post('/bare', async (c) => {
  const body = (await c.req.json()) as { text?: unknown };
  return c.json({ status: 'success', data: { length: typeof body.text === 'string' ? body.text.length : 0 } }, 201);
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`${info.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
