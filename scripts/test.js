#!/usr/bin/env node
/**
 * `npm test`: the same setup as `npm start` (npm ci when needed, nats-server present — the
 * integration tests start real ones), then the typecheck, then `npx vitest run` with any extra
 * arguments passed through (`npm test -- gateway/`). Ends with one plain summary line
 * (`Tests: N passed, N failed, N skipped`) and exits with vitest's code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareCheckout } from './setup/prepare-checkout.js';
import { runChild } from './setup/run-child.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const setupCode = prepareCheckout({ root, needNatsServer: true });
if (setupCode !== 0) process.exit(setupCode);

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const args = process.argv.slice(2);
if (args.length === 0) {
  const typecheck = await runChild(npx, ['tsc', '--noEmit', '-p', 'tsconfig.json'], { cwd: root });
  if (typecheck !== 0) {
    process.stderr.write('wardclerk: the typecheck failed (npx tsc --noEmit)\n');
    process.exit(typecheck);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'wardclerk-test-'));
const report = join(dir, 'vitest.json');
const code = await runChild(npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], { cwd: root });
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  process.stdout.write(`\nTests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`);
} catch {
  process.stdout.write('\nTests: no report (vitest did not finish)\n');
}
rmSync(dir, { recursive: true, force: true });
process.exitCode = code;
