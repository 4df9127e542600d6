/** Free TCP ports for servers we start ourselves (nats-server, test listeners). */
import { createServer } from 'node:net';

/**
 * Asks the kernel for a port that is free right now on `host`. Another process could take it
 * before we bind, so callers that bind later retry on "address in use".
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
