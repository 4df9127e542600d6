/**
 * The setup shared by `npm start` and `npm test`: dependencies installed, nats-server present
 * (unless an external NATS_URL is used). Prints what it does; returns an exit code (0 = ready).
 */
import { ensureNatsServer } from './ensure-nats-server.js';
import { ensureNodeModules } from './ensure-node-modules.js';

/**
 * @param {{ root: string, needNatsServer: boolean, log?: (line: string) => void }} options
 * @returns {number}
 */
export function prepareCheckout(options) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const npmCode = ensureNodeModules(options.root, { log });
  if (npmCode !== 0) {
    log(`wardclerk: npm ci failed with exit code ${npmCode}`);
    return npmCode;
  }
  if (options.needNatsServer) {
    const nats = ensureNatsServer({ log });
    if (!nats.ok) {
      log(`wardclerk: ${nats.message}`);
      return 1;
    }
    if (nats.installed) log(`wardclerk: installed nats-server at ${nats.path}`);
  }
  return 0;
}
