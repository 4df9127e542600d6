/**
 * Crash-test helper (run by test/care-plan-crash.int.test.ts, not by the product).
 * `seed`: opens the store, creates a tenant and a patient; prints `tenant <id>` and `patient <id>`.
 * `run <tenant> <patient>`: stores notes one after another and settles each with its plan items
 * (as the gateway's `wc.store.note.settle` does: new plan active, old one revoked, reminders
 * cancelled and created, in one batch), printing `ok <plan id>` once each batch is durable. The
 * test SIGKILLs it mid-stream and checks that exactly one plan is active afterwards.
 * Usage: node bin/run-ts.js gateway/care-plans/crash-supersede.ts <store dir> <master key file> seed | run <tenant> <patient>
 */
import { readFileSync } from 'node:fs';
import { initCrypto } from '../../core/crypto.js';
import { createLogger } from '../../core/logger.js';
import { loadOrCreateMasterKey } from '../../core/master-key.js';
import { extractClinical } from '../../engine/clinical/extract.js';
import { planItemsFrom } from '../../engine/clinical/actions/plan-items.js';
import type { EventPublisher } from '../events/publisher.js';
import { createScheduler } from '../scheduler/scheduler.js';
import { openStore } from '../store/store.js';
import { settleNote } from './settle-note.js';

const [dir, keyFile, mode, tenantId, patientId] = process.argv.slice(2);
if (!dir || !keyFile || (mode !== 'seed' && mode !== 'run')) {
  process.stderr.write('usage: crash-supersede <store dir> <master key file> seed | run <tenant> <patient>\n');
  process.exit(2);
}
await initCrypto();
const store = await openStore({ dir, masterKey: await loadOrCreateMasterKey(keyFile) });
const say = (line: string): void => void process.stdout.write(`${line}\n`);
if (mode === 'seed') {
  const tenant = await store.tenants.create({ name: 'crash' });
  const patient = await store.patients.create(tenant.id, { name: { family: 'Crash', given: ['Test'] }, time_zone: 'Asia/Kolkata' }, { userId: null, createdBy: 'system' });
  say(`tenant ${tenant.id}`);
  say(`patient ${patient.patient_id}`);
  await store.close();
  process.exit(0);
}
const log = createLogger({ level: 'error', role: 'gateway' });
const events: Pick<EventPublisher, 'stage' | 'release'> = {
  stage(tenant, type, data, id = 'x', audience) {
    const event = { id, type, tenant_id: tenant, created_at: new Date().toISOString(), data, ...(audience?.length ? { audience: { user_ids: audience } } : {}) };
    return { event, op: store.outbox.op(event) };
  },
  release() {},
};
const scheduler = createScheduler({ repo: store.reminders, events, log, settings: store.settings, careTeam: async () => [] });
const fixtures = ['discharge-diabetes.txt', 'opd-hypertension.txt', 'rx-fever-tds.txt', 'taper-asthma.txt']
  .map((f) => readFileSync(new URL(`../../engine/clinical/actions/fixtures/${f}`, import.meta.url), 'utf8'));
const deps = { store, events, scheduler, log, now: () => Date.now() };
for (let i = 0; i < 1000; i++) {
  const text = fixtures[i % fixtures.length]!;
  const { note } = await store.notes.create(tenantId!, { patient_id: patientId!, author: { kind: 'user', id: 'usr_crash', role: 'doctor' }, text, source: 'text', ocr_confidence: null, note_date: '2026-12-02' });
  const extraction = extractClinical(text);
  const r = await settleNote(deps, tenantId!, note.note_id, { ok: true, extraction: extraction as unknown as Record<string, unknown>, items: planItemsFrom(text, extraction, '2026-12-02') });
  say(`ok ${r.care_plan_id}`);
}
say('done');
await store.close();
