import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitOf, isAlive, signalGroup } from './process-group.js';
import { processesMentioning } from './testing/orphans.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
const started: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wardclerk-run-'));
});
afterEach(async () => {
  // Only a child Node has not seen exit: an exited child's pid may already belong to another process.
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of processesMentioning(dir)) {
    try {
      process.kill(pid, 'SIGKILL'); // alive a moment ago, found by its command line
    } catch {
      // gone meanwhile
    }
  }
  await rm(dir, { recursive: true, force: true });
});

/** Starts the supervisor as its own process; resolves once it printed the banner. */
async function startSupervisorProcess(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['bin/run-ts.js', 'scripts/supervisor/testing/run-with-stand-ins.ts', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 30 s:\n${output}`)), 30_000);
    const check = () => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`supervisor exited with ${code}:\n${output}`)));
  });
  return { child, output: () => output };
}

async function natsPid(): Promise<number> {
  return (JSON.parse(await readFile(join(dir, 'data', 'run', 'nats-server.pid'), 'utf8')) as { pid: number }).pid;
}

describe('runSupervisor as a process', () => {
  it('on SIGTERM stops every child and exits 0 with no orphan processes', async () => {
    const { child, output } = await startSupervisorProcess();
    expect(output()).toContain('Admin login:    admin');
    expect(processesMentioning(dir).length).toBeGreaterThanOrEqual(7);
    child.kill('SIGTERM');
    const exit = await exitOf(child);
    expect(exit.code).toBe(0);
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('after the supervisor is SIGKILLed, the next start stops the stale nats-server and runs cleanly', async () => {
    const first = await startSupervisorProcess();
    const staleNats = await natsPid();
    first.child.kill('SIGKILL');
    await exitOf(first.child);
    // Roles leave on their own (their IPC channel closed); nats-server has no such channel.
    expect(isAlive(staleNats)).toBe(true);

    const second = await startSupervisorProcess();
    expect(isAlive(staleNats)).toBe(false);
    expect(await natsPid()).not.toBe(staleNats);
    second.child.kill('SIGINT');
    expect((await exitOf(second.child)).code).toBe(0);
    expect(processesMentioning(dir)).toEqual([]);
  });
});
