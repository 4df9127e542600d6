import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../scripts/supervisor/free-port.js';
import { isAlive } from '../scripts/supervisor/process-group.js';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';
import { startRole } from './role-process.js';

describe('startRole', () => {
  let nats: NatsServerHandle;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it('starts the real worker, waits for ready, captures its logs and stops it', async () => {
    const worker = await startRole('worker', { NATS_URL: nats.url, WARDCLERK_NATS_CREDENTIALS: nats.credentialsFile('worker'), WARDCLERK_LOG_LEVEL: 'info' });
    expect(isAlive(worker.pid)).toBe(true);
    await worker.waitForLog('"msg":"ready"');
    expect(worker.logs()).toContain('"role":"worker"');
    await worker.stop();
    expect(isAlive(worker.pid)).toBe(false);
    await worker.stop(); // idempotent
  });

  it('kill9() takes the role down at once', async () => {
    await using worker = await startRole('worker', { NATS_URL: nats.url, WARDCLERK_NATS_CREDENTIALS: nats.credentialsFile('worker') });
    await worker.kill9();
    expect(isAlive(worker.pid)).toBe(false);
  });

  it('restart() after kill9() starts the same role again with the same environment', async () => {
    const env = { NATS_URL: nats.url, WARDCLERK_NATS_CREDENTIALS: nats.credentialsFile('worker'), WARDCLERK_LOG_LEVEL: 'debug' };
    const worker = await startRole('worker', env);
    await worker.kill9();
    await using again = await worker.restart();
    expect(again.pid).not.toBe(worker.pid);
    expect(isAlive(worker.pid)).toBe(false);
    expect(isAlive(again.pid)).toBe(true);
    const environ = readFileSync(`/proc/${again.pid}/environ`, 'utf8').split('\0');
    for (const [name, value] of Object.entries(env)) expect(environ).toContain(`${name}=${value}`);
  });

  it('rejects naming the role when it cannot become ready', async () => {
    const closedPort = await findFreePort();
    const error = await startRole('worker', { NATS_URL: `nats://127.0.0.1:${closedPort}` }, { readyTimeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ details: { role: 'worker' } });
    expect((error as Error).message).toMatch(/^worker /);
  });
});
