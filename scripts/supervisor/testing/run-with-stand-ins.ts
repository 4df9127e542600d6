/**
 * Test entry point: `node bin/run-ts.js scripts/supervisor/testing/run-with-stand-ins.ts <dir>`
 * runs the real runSupervisor (signal handlers included) with stand-in roles, data under <dir>.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../core/config.js';
import { runSupervisor } from '../supervisor.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: run-with-stand-ins.ts <dir>');
const standIn = fileURLToPath(new URL('./stand-in-role.mjs', import.meta.url));
const config = loadConfig({ WARDCLERK_DATA_DIR: join(dir, 'data'), WARDCLERK_LOG_LEVEL: 'warn' });
process.exitCode = await runSupervisor(config, {
  roleCommand: (role) => [process.execPath, standIn, role, dir],
  env: { ...process.env, STANDIN_LOG: join(dir, 'events.log') },
  stopGraceMs: 3_000,
});
