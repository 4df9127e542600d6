import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stopStaleFromPidFile, writePidFile } from './pid-file.js';
import { exitOf, isAlive, signalGroup } from './process-group.js';

let dir: string;
const pids: number[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wardclerk-pid-'));
});
afterEach(async () => {
  for (const pid of pids.splice(0)) signalGroup(pid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function sleeper() {
  const argv = [process.execPath, '-e', 'setInterval(() => {}, 1000)', dir];
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: 'ignore' });
  pids.push(child.pid!);
  return { child, argv };
}

describe('stopStaleFromPidFile', () => {
  it('stops the recorded process when its command line matches, and removes the file', async () => {
    const { child, argv } = sleeper();
    const file = join(dir, 'x.pid');
    await writePidFile(file, child.pid!, argv);
    expect(await stopStaleFromPidFile(file, 2_000)).toBe(child.pid);
    await exitOf(child);
    expect(isAlive(child.pid!)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('leaves a process alone when the pid was reused by another command', async () => {
    const { child } = sleeper();
    const file = join(dir, 'x.pid');
    await writePidFile(file, child.pid!, ['/usr/sbin/nats-server', '-c', '/elsewhere.conf']);
    expect(await stopStaleFromPidFile(file, 2_000)).toBeNull();
    expect(isAlive(child.pid!)).toBe(true);
  });

  it('ignores a missing or corrupt file', async () => {
    expect(await stopStaleFromPidFile(join(dir, 'none.pid'), 100)).toBeNull();
    await writeFile(join(dir, 'bad.pid'), 'not json');
    expect(await stopStaleFromPidFile(join(dir, 'bad.pid'), 100)).toBeNull();
    expect(existsSync(join(dir, 'bad.pid'))).toBe(false);
  });
});
