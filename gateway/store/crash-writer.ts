/**
 * Crash-test helper (run by store-crash.int.test.ts, not by the product): opens the store, creates
 * a tenant, then creates prescriptions from several concurrent loops forever, printing each id only
 * after its durable write resolved. The test SIGKILLs it mid-stream and checks every printed id.
 * Usage: node bin/run-ts.js gateway/store/crash-writer.ts <store dir> <master key file>
 */
import { loadOrCreateMasterKey } from '../../core/master-key.js';
import { openStore } from './store.js';
import { sampleExtraction } from './testing/sample-extraction.js';

const [dir, keyFile] = process.argv.slice(2);
if (!dir || !keyFile) {
  process.stderr.write('usage: crash-writer <store dir> <master key file>\n');
  process.exit(2);
}
const store = await openStore({ dir, masterKey: await loadOrCreateMasterKey(keyFile) });
const tenant = await store.tenants.create({ name: 'crash' });
// Pipes to a parent are written synchronously on Linux, so a printed line left the process.
process.stdout.write(`tenant ${tenant.id}\n`);
const extraction = sampleExtraction();
let n = 0;
async function loop(worker: number): Promise<never> {
  for (;;) {
    const i = n++;
    const rec = await store.prescriptions.create(tenant.id, {
      text: `crash note ${i}`, patient_ref: `P-${worker}`, doctor: null, source: 'text', external_id: null, job_id: null, extraction,
    });
    process.stdout.write(`rx ${rec.prescription_id}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, (_, w) => loop(w)));
