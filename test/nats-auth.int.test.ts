/**
 * The bus is locked: against the real appliance (nats-server with the generated per-role NKey
 * users, the real gateway serving the store subjects, the real engine), a client without
 * credentials is refused; the engine's credentials can neither subscribe to everything nor call a
 * store subject; the worker's cannot read the gateway's inbox or the engine's requests; each role's
 * own calls still work (positive controls, so every refusal below is a refusal, not an outage).
 */
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect } from '@nats-io/transport-node';
import { nkeyAuthenticator, nkeys, type NatsConnection } from '@nats-io/nats-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, type Bus } from '../core/bus.js';
import { contracts } from '../core/contracts.js';
import { createLogger } from '../core/logger.js';
import { credentialsDirOf, inboxPrefixOf, readNatsCredentials, type NatsRole } from '../core/nats-credentials.js';
import { call, createTenantClient, operatorToken, until, type Accepted, type Envelope, type JobView } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';

let app: Appliance;
const open: Array<{ close(): Promise<void> }> = [];
const log = createLogger({ level: 'silent', role: 'test' });

async function busAs(role: NatsRole): Promise<Bus> {
  const bus = await connectBus({ url: app.nats.url, name: `test-${role}`, log, credentials: app.nats.credentials![role] });
  open.push(bus);
  return bus;
}

async function ncAs(role: NatsRole): Promise<NatsConnection> {
  const nc = await connect(app.nats.connectOptions(role));
  open.push({ close: () => nc.close() });
  return nc;
}

/** Subscribes and resolves with the error the server answers with (or 'allowed' once a round trip shows none came). */
async function trySubscribe(nc: NatsConnection, subject: string): Promise<unknown> {
  const sub = nc.subscribe(subject);
  const failed = (async () => {
    try {
      for await (const _ of sub) {
        /* nothing is published here */
      }
      return 'closed';
    } catch (e) {
      return e;
    }
  })();
  await nc.flush();
  const outcome = await Promise.race([failed, nc.flush().then(() => new Promise((r) => setTimeout(r, 300))).then(() => 'allowed')]);
  sub.unsubscribe();
  return outcome;
}

beforeAll(async () => {
  app = await startAppliance();
}, 60_000);
afterAll(async () => {
  for (const c of open.reverse()) await c.close().catch(() => undefined);
  await app?.close();
});

describe('NATS credentials and permissions', () => {
  it('refuses a client without credentials, and one with an unknown key', async () => {
    await expect(connect({ servers: app.nats.url, maxReconnectAttempts: 0 })).rejects.toThrow(/authorization/i);
    const stranger = nkeys.createUser().getSeed();
    await expect(connect({ servers: app.nats.url, maxReconnectAttempts: 0, authenticator: nkeyAuthenticator(stranger) })).rejects.toThrow(/authorization/i);
  });

  it('a role without credentials, with unknown ones, or asking for TLS the server lacks fails its start with a coded error', async () => {
    await expect(connectBus({ url: app.nats.url, name: 'anon', log })).rejects.toMatchObject({
      code: 'CONFIG_INVALID', details: { variable: 'WARDCLERK_NATS_CREDENTIALS', reason: 'nats_credentials_missing' },
    });
    const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
    const stranger = { role: 'engine' as const, seed, publicKey: 'U-unused', inboxPrefix: inboxPrefixOf('engine') };
    const refused = await connectBus({ url: app.nats.url, name: 'stranger', log, credentials: stranger }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFIG_INVALID', details: { reason: 'nats_credentials_refused' } });
    expect((refused as Error).message).not.toContain(seed);
    const tls = app.nats.url.replace('nats://', 'tls://');
    await expect(connectBus({ url: tls, name: 'tls', log, credentials: app.nats.credentials!.engine })).rejects.toMatchObject({
      code: 'CONFIG_INVALID', details: { variable: 'NATS_URL', reason: 'nats_tls_unavailable' },
    });
  });

  it('keeps the credential files private (0600 in a 0700 dir) and out of every log line', async () => {
    const dir = credentialsDirOf(app.dataDir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['engine.json', 'gateway.json', 'worker.json']);
    const logs = app.logs();
    expect(logs).toContain('"msg":"ready"');
    for (const f of files) {
      expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
      const { nkey_seed } = JSON.parse(await readFile(join(dir, f), 'utf8')) as { nkey_seed: string };
      expect(logs).not.toContain(nkey_seed);
      expect(logs).not.toContain(nkey_seed.slice(2, 20));
    }
  });

  it('the engine cannot subscribe to everything nor to the store subjects', async () => {
    const nc = await ncAs('engine');
    expect(await trySubscribe(nc, '>')).toMatchObject({ name: 'PermissionViolationError', operation: 'subscription' });
    expect(await trySubscribe(nc, 'wc.store.>')).toMatchObject({ name: 'PermissionViolationError' });
    expect(await trySubscribe(nc, contracts.engineExtract.subject)).toBe('allowed');
  });

  it('a refused publish is logged once with its subject, as a wiring bug', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const bus = await connectBus({ url: app.nats.url, name: 'test-engine-log', log: createLogger({ level: 'info', role: 'engine', destination: sink }), credentials: app.nats.credentials!.engine });
    open.push(bus);
    bus.nc.publish('wc.items.t-any', 'x');
    bus.nc.publish('wc.items.t-any', 'x');
    await bus.nc.flush();
    await expect.poll(() => lines.join('')).toContain('"subject":"wc.items.t-any"');
    expect(lines.filter((l) => l.includes('NATS refused'))).toHaveLength(1);
  });

  it('the engine cannot call a store subject (a webhook secret stays behind the gateway); the worker can', async () => {
    const engine = await busAs('engine');
    await expect(engine.request(contracts.webhookGet, { tenant_id: 't-any', id: 'wh-any' }, { timeoutMs: 2000 })).rejects.toMatchObject({
      code: 'INTERNAL',
      details: { subject: contracts.webhookGet.subject, reason: 'nats_permission_denied' },
    });
    const worker = await busAs('worker');
    // The real gateway answers the worker: no such webhook.
    expect(await worker.request(contracts.webhookGet, { tenant_id: 't-any', id: 'wh-any' }, { timeoutMs: 5000 })).toBeNull();
  });

  it("the worker cannot read the gateway's inbox or the engine's requests; its own inbox and calls work", async () => {
    const nc = await ncAs('worker');
    expect(await trySubscribe(nc, `${inboxPrefixOf('gateway')}.>`)).toMatchObject({ name: 'PermissionViolationError' });
    expect(await trySubscribe(nc, '_INBOX.>')).toMatchObject({ name: 'PermissionViolationError' });
    expect(await trySubscribe(nc, contracts.engineExtract.subject)).toMatchObject({ name: 'PermissionViolationError' });
    expect(await trySubscribe(nc, `${inboxPrefixOf('worker')}.>`)).toBe('allowed');
    const worker = await busAs('worker');
    const extraction = await worker.request(contracts.engineExtract, { tenant_id: 't-any', text: 'Metformin 500 mg twice daily' }, { timeoutMs: 10_000 });
    expect(extraction.medications.length).toBeGreaterThan(0);
  });

  it('the gateway cannot pull or ack the work queues the worker owns, nor delete a stream; the worker can read them', async () => {
    const gateway = await busAs('gateway');
    for (const subject of ['$JS.API.CONSUMER.MSG.NEXT.WC_ITEMS.items', '$JS.ACK.WC_ITEMS.items.1.1.1.1.1', '$JS.API.STREAM.DELETE.WC_ITEMS', '$JS.API.STREAM.PURGE.WC_EVENTS']) {
      await expect(gateway.nc.request(subject, '{}', { timeout: 2000 }), subject).rejects.toThrow(/permission/i);
    }
    const worker = await busAs('worker');
    expect(await worker.jsm.consumers.info('WC_ITEMS', 'items')).toMatchObject({ name: 'items' });
    await expect(worker.nc.request('$JS.API.STREAM.DELETE.WC_ITEMS', '{}', { timeout: 2000 })).rejects.toThrow(/permission/i);
  });

  it('no role of the running appliance was refused anything it does (a batch runs through all three)', async () => {
    const op = await operatorToken(app.url, app.adminPassword);
    const t = await createTenantClient(app.url, op, 'Bus Hospital');
    const items = [{ text: 'Amlodipine 5 mg daily' }, { text: 'Metformin 500 mg twice daily' }];
    const r = await call<Accepted>(`${app.url}/api/v1/prescriptions/batch`, { method: 'POST', token: t.token, json: { items } });
    expect(r.status).toBe(202);
    const job = await until(async () => {
      const j = await call<Envelope<JobView | undefined>>(`${app.url}${r.body.status_url}`, { token: t.token });
      return j.body.data?.status === 'completed' ? j.body.data : undefined;
    });
    expect(job.completed).toBe(2);
    expect(app.logs()).not.toContain('NATS refused');
    expect(app.logs()).not.toMatch(/Permissions Violation/i);
  });

  it("refuses a credentials file others can read, a malformed one, and another role's", async () => {
    const file = join(app.dataDir, 'copy-of-engine.json');
    await writeFile(file, await readFile(join(credentialsDirOf(app.dataDir), 'engine.json')), { mode: 0o644 });
    await chmod(file, 0o644);
    await expect(readNatsCredentials(file, 'engine')).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { reason: 'too_open' } });
    await chmod(file, 0o600);
    expect((await readNatsCredentials(file, 'engine')).publicKey).toMatch(/^U[A-Z2-7]{55}$/);
    await expect(readNatsCredentials(file, 'worker')).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { reason: 'wrong_role' } });
    await writeFile(file, '{"role":"engine","nkey_seed":"not-a-seed"}', { mode: 0o600 });
    const err = await readNatsCredentials(file, 'engine').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', details: { reason: 'malformed' } });
    expect((err as Error).message).not.toContain('not-a-seed');
  });
});
