/**
 * Crashes lose nothing: `kill -9` of the worker in the middle of a 2,000-item batch, then a
 * restart, completes the job with every item exactly once; `kill -9` of the gateway right after a
 * 201 keeps the record. Roles run as real child processes (`wardclerk <role>`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../core/crypto.js';
import { loadOrCreateMasterKey, jetstreamCipherKeyHex } from '../core/master-key.js';
import { credentialsDirOf } from '../core/nats-credentials.js';
import { call, createTenantClient, operatorToken, until, type Accepted, type ApiResponse, type Envelope, type JobView, type Page } from './api-client.js';

/** A stored prescription, as far as these tests read it. */
interface Prescription { prescription_id: string; job_id: string | null; external_id: string | null; medications: Array<{ name: string }> }
import { startNatsServer, type NatsServerHandle } from './nats-server.js';
import { startRole, type RoleProcess } from './role-process.js';

const PASSWORD = 'crash-test-admin-password';
let nats: NatsServerHandle;
let dataDir: string;
let env: Record<string, string>;
const running: RoleProcess[] = [];

async function role(name: 'gateway' | 'engine' | 'worker'): Promise<RoleProcess> {
  const p = await startRole(name, env);
  running.push(p);
  return p;
}

beforeAll(async () => {
  await initCrypto();
  dataDir = await mkdtemp(join(tmpdir(), 'wardclerk-crash-'));
  const key = await loadOrCreateMasterKey(join(dataDir, 'master.key'));
  // Each role process finds its own NATS credentials under WARDCLERK_DATA_DIR, as under npm start.
  nats = await startNatsServer({ cipherKeyHex: jetstreamCipherKeyHex(key), credentialsDir: credentialsDirOf(dataDir) });
  env = {
    NATS_URL: nats.url,
    WARDCLERK_DATA_DIR: dataDir,
    WARDCLERK_PORT: '0',
    WARDCLERK_HOST: '127.0.0.1',
    WARDCLERK_ADMIN_PASSWORD: PASSWORD,
    WARDCLERK_LOG_LEVEL: 'warn',
    WARDCLERK_ITEM_ACK_WAIT_MS: '1000',
    WARDCLERK_ITEM_MAX_DELIVER: '10',
  };
});
afterAll(async () => {
  for (const p of running.reverse()) await p.stop().catch(() => undefined);
  await nats?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('kill -9 of the gateway right after a 201 keeps the record', async () => {
    const engine = await role('engine');
    let gateway = await role('gateway');
    const op = await operatorToken(gateway.url!, PASSWORD);
    const t = await createTenantClient(gateway.url!, op, 'Crash Hospital');
    const r = await call<Envelope<Prescription>>(`${gateway.url}/api/v1/prescriptions`, { method: 'POST', token: t.token, json: { text: 'Warfarin 5 mg daily, INR check weekly' } });
    expect(r.status).toBe(201);
    await gateway.kill9();
    gateway = await role('gateway');
    const back = await call<Envelope<Prescription>>(`${gateway.url}/api/v1/prescriptions/${r.body.data.prescription_id}`, { token: t.token });
    expect(back.status).toBe(200);
    expect(back.body.data.medications[0]?.name).toBe('warfarin');
    await gateway.stop();
    await engine.stop();
  }, 60_000);

  it('kill -9 of the worker mid-batch: the job completes with every item exactly once', async () => {
    await role('engine');
    const gateway = await role('gateway');
    const op = await operatorToken(gateway.url!, PASSWORD);
    const t = await createTenantClient(gateway.url!, op, 'Batch Crash Hospital');
    let worker = await role('worker');
    // 2,000 items: a batch holds at most 1,000, so two batches submitted back to back.
    const jobs: Array<{ id: string; url: string }> = [];
    for (let b = 0; b < 2; b++) {
      const items = Array.from({ length: 1000 }, (_, i) => ({ text: `Amlodipine ${(i % 4) + 2.5} mg once daily for hypertension #${b}-${i}`, external_id: `item-${b}-${i}` }));
      const sub = await call<Accepted>(`${gateway.url}/api/v1/prescriptions/batch`, { method: 'POST', token: t.token, json: { items } });
      expect(sub.status).toBe(202);
      jobs.push({ id: sub.body.job_id, url: `${gateway.url}${sub.body.status_url}` });
    }
    const progress = async () => {
      let completed = 0;
      for (const j of jobs) completed += (await call<Envelope<JobView>>(j.url, { token: t.token })).body.data.completed;
      return completed;
    };
    await until(async () => {
      const c = await progress();
      return c >= 200 && c < 1800;
    }, 60_000, 10);
    await worker.kill9();
    expect(await progress()).toBeLessThan(2000);
    worker = await role('worker');
    for (const j of jobs) {
      const done = await until(async () => {
        const v = await call<Envelope<JobView>>(j.url, { token: t.token });
        return v.body.data.status === 'completed' ? v.body.data : undefined;
      }, 120_000, 100);
      expect(done.completed).toBe(1000);
      expect(done.failed).toBe(0);
    }
    const seen = new Set<string | null>();
    let total = 0;
    let cursor: string | null = null;
    do {
      const page: ApiResponse<Envelope<Page<Prescription>>> = await call<Envelope<Page<Prescription>>>(`${gateway.url}/api/v1/prescriptions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: t.token });
      for (const it of page.body.data.items) {
        total++;
        seen.add(it.external_id);
        expect(jobs.map((j) => j.id)).toContain(it.job_id);
      }
      cursor = page.body.data.next_cursor;
    } while (cursor);
    expect(total).toBe(2000);
    expect(seen.size).toBe(2000);
  }, 240_000);
});
