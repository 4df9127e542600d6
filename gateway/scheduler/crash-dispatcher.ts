/**
 * Crash-test helper (run by test/reminders-crash.int.test.ts, not by the product).
 * `seed`: opens the store, creates a tenant and a patient and activates a plan of N one-off
 * reminders that are all due now; prints `tenant <id>` and `patient <id>`.
 * `run`: opens the store, publishes what the outbox holds (`drn <event id>`, as the gateway does
 * at start), then runs the dispatcher on the real clock, printing `rel <event id>` for each event
 * once its batch is durable, and `idle` when nothing is due any more. The test SIGKILLs a run
 * mid-stream, runs it again, and checks that every reminder was delivered exactly once.
 * Usage: node bin/run-ts.js gateway/scheduler/crash-dispatcher.ts <store dir> <master key file> seed <n> | run
 */
import { initCrypto } from '../../core/crypto.js';
import { createLogger } from '../../core/logger.js';
import { loadOrCreateMasterKey } from '../../core/master-key.js';
import type { EventPublisher } from '../events/publisher.js';
import { openStore } from '../store/store.js';
import { createScheduler } from './scheduler.js';
import { activity } from './testing/scheduler-kit.js';

const [dir, keyFile, mode, n] = process.argv.slice(2);
if (!dir || !keyFile || (mode !== 'seed' && mode !== 'run')) {
  process.stderr.write('usage: crash-dispatcher <store dir> <master key file> seed <n> | run\n');
  process.exit(2);
}
await initCrypto();
const store = await openStore({ dir, masterKey: await loadOrCreateMasterKey(keyFile) });
// Pipes to a parent are written synchronously on Linux, so a printed line left the process.
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const events: Pick<EventPublisher, 'stage' | 'release'> = {
  stage(tenantId, type, data, id = 'x', audience) {
    const event = { id, type, tenant_id: tenantId, created_at: new Date().toISOString(), data, ...(audience ? { audience: { user_ids: audience } } : {}) };
    return { event, op: store.outbox.op(event) };
  },
  release(event) {
    say(`rel ${event.id}`);
    void store.outbox.remove([event.id]);
  },
};
const scheduler = createScheduler({
  repo: store.reminders, events, log: createLogger({ level: 'error', role: 'gateway' }), settings: store.settings, careTeam: async () => [],
  dispatcher: { concurrency: 8 },
});

if (mode === 'seed') {
  const tenant = await store.tenants.create({ name: 'crash' });
  const patient = await store.patients.create(tenant.id, { name: { family: 'Crash', given: [] }, time_zone: 'UTC' }, { userId: 'us_crash', createdBy: 'test' });
  const activities = Array.from({ length: Number(n ?? 500) }, (_, i) => activity(`act_${i}`, { repeat: { count: 1 } }));
  const r = await scheduler.opsForActivation({ tenantId: tenant.id, patientId: patient.patient_id, carePlanId: 'cp_crash', audience: ['us_crash'], zone: 'UTC', activities, start: new Date(Date.now() - 1000) });
  await store.reminders.write(r.ops);
  say(`tenant ${tenant.id}`);
  say(`patient ${patient.patient_id}`);
  await store.close();
} else {
  for (const e of await store.outbox.pending(100_000)) {
    say(`drn ${e.id}`);
    await store.outbox.remove([e.id]);
  }
  while ((await scheduler.dispatcher.runDue()) > 0);
  say('idle');
  await store.close();
}
