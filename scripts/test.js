#!/usr/bin/env node
/**
 * `npm test`: the same setup as `npm start` (npm ci when needed, nats-server present — the
 * integration tests start real ones), then `npx vitest run` with any extra arguments passed
 * through (`npm test -- gateway/`). Exits with vitest's code.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareCheckout } from './setup/prepare-checkout.js';
import { runChild } from './setup/run-child.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const setupCode = prepareCheckout({ root, needNatsServer: true });
if (setupCode !== 0) process.exit(setupCode);

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
process.exitCode = await runChild(npx, ['vitest', 'run', ...process.argv.slice(2)], { cwd: root });
