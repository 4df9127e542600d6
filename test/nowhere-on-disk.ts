/**
 * The at-rest check of the integration suites: with the appliance's writers stopped, no file under
 * its data dir or its JetStream store holds a marker string in plaintext (LevelDB values and
 * JetStream messages are sealed, search indexes live in memory only).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Appliance, Role } from './appliance.js';

/** Files larger than this are not read (none of ours is; a stray core dump would be). */
const MAX_SCANNED_BYTES = 64 * 1024 * 1024;

async function* files(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

/** Stops `roles` in this order, runs `fn`, then starts them again in reverse order, whatever `fn` did. */
export async function whileStopped<T>(app: Appliance, roles: Role[], fn: () => Promise<T>): Promise<T> {
  for (const role of roles) await app.stop(role);
  try {
    return await fn();
  } finally {
    for (const role of [...roles].reverse()) await app.start(role);
  }
}

/**
 * Expects no file under the appliance's data dir and JetStream store to contain any of `needles`
 * (the failure names the file), and more than five files to have been read. Call it with the
 * roles that write stopped (`whileStopped`).
 */
export async function expectNowhereOnDisk(app: Appliance, needles: string[]): Promise<void> {
  let scanned = 0;
  for (const dir of [app.dataDir, app.nats.storeDir]) {
    for await (const f of files(dir)) {
      if ((await stat(f)).size > MAX_SCANNED_BYTES) continue;
      const bytes = await readFile(f);
      scanned++;
      for (const needle of needles) expect(bytes.includes(Buffer.from(needle)), f).toBe(false);
    }
  }
  expect(scanned).toBeGreaterThan(5);
}
