/**
 * One appliance per data dir. The lock is an OS lock (LevelDB's fcntl lock on `<data>/run/lock`),
 * so it is released by the kernel however the holder dies — kill -9 included — and a second
 * `npm start` on a data dir in use refuses with a clear message instead of killing the first
 * appliance's processes. The holder's pid is written beside it for that message.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Level } from 'level';
import { WardClerkError } from '../../core/errors.js';

export interface DataDirLock {
  release(): Promise<void>;
}

/** Takes the lock of `dataDir` (its `run/` folder must exist) or throws DATA_DIR_IN_USE. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const runDir = join(dataDir, 'run');
  const ownerFile = join(runDir, 'supervisor.pid');
  const db = new Level(join(runDir, 'lock'));
  try {
    await db.open();
  } catch (error) {
    const locked = (error as { cause?: { code?: string } }).cause?.code === 'LEVEL_LOCKED';
    if (!locked) throw error;
    const owner = Number.parseInt(await readFile(ownerFile, 'utf8').catch(() => ''), 10);
    const who = Number.isFinite(owner) ? `process ${owner}` : 'another process';
    throw new WardClerkError('DATA_DIR_IN_USE', `the data dir ${dataDir} is in use by another WardClerk (${who}); stop it first, or set WARDCLERK_DATA_DIR to another folder`, {
      details: { pid: Number.isFinite(owner) ? owner : null },
    });
  }
  await writeFile(ownerFile, `${process.pid}\n`, { mode: 0o600 });
  return {
    async release() {
      await rm(ownerFile, { force: true });
      await db.close();
    },
  };
}
