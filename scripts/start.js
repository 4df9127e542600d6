#!/usr/bin/env node
/**
 * `npm start`: sets up what a fresh Debian checkout lacks (npm ci, nats-server, the data dir),
 * then hands over to the supervisor (`wardclerk start`), which runs nats-server, gateway, engine
 * and worker. Plain JavaScript with no dependencies: it runs before node_modules exists.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDirFromEnv, ensureDataDir } from './setup/ensure-data-dir.js';
import { prepareCheckout } from './setup/prepare-checkout.js';
import { runChild } from './setup/run-child.js';
import { watchParents } from './setup/watch-parents.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const setupCode = prepareCheckout({ root, needNatsServer: !process.env.NATS_URL });
if (setupCode !== 0) process.exit(setupCode);
ensureDataDir(dataDirFromEnv());
// If npm (or whoever ran us) goes away, stop as if told to: the supervisor then stops everything.
watchParents(() => process.kill(process.pid, 'SIGTERM'));

process.exitCode = await runChild(process.execPath, [join(root, 'bin', 'wardclerk.js'), 'start', ...process.argv.slice(2)], {
  cwd: process.cwd(),
});
