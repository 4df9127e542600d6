import { describe, expect, it, onTestFinished } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Level } from 'level';
import { WardClerkError } from '../../core/errors.js';
import { sampleExtraction } from './testing/sample-extraction.js';
import { tempStore } from './testing/temp-store.js';

async function fixture() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  const tenant = (await t.store.tenants.create({ name: 'A' })).id;
  return { t, tenant };
}

/** True when any file under `dir` contains `needle` as raw bytes. */
async function filesContain(dir: string, needle: string): Promise<boolean> {
  const want = Buffer.from(needle, 'utf8');
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = await readFile(join(entry.parentPath, entry.name));
    if (bytes.includes(want)) return true;
  }
  return false;
}

const rx = (text: string, patient_ref: string | null) => ({
  text, patient_ref, doctor: null, source: 'text' as const, external_id: null, job_id: null, extraction: sampleExtraction(),
});

describe('encryption at rest', () => {
  it('no file under the LevelDB dir contains a stored note text, patient_ref or webhook secret', async () => {
    const { t, tenant } = await fixture();
    const noteMarker = `NOTE-MARKER-${randomBytes(8).toString('hex')}`;
    const patientMarker = `PATIENT-MARKER-${randomBytes(8).toString('hex')}`;
    const secretMarker = `SECRET-MARKER-${randomBytes(8).toString('hex')}`;
    await t.store.prescriptions.create(tenant, rx(`Amoxicillin 500 mg TID ${noteMarker}`, patientMarker));
    await t.store.jobs.create(tenant, { items: [{ text: `item ${noteMarker}`, patient_ref: patientMarker, external_id: patientMarker }] });
    await t.store.webhooks.create(tenant, { url: 'https://h.example', events: ['job.completed'], secret: secretMarker });
    await t.store.close();
    for (const m of [noteMarker, patientMarker, secretMarker]) expect(await filesContain(t.dir, m)).toBe(false);
    const s = await t.reopen();
    expect((await s.prescriptions.list(tenant, { patient_ref: patientMarker })).items[0]?.text).toContain(noteMarker);
  });

  it('control: the same scan finds a marker that LevelDB stored in the clear', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wc-raw-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const db = new Level<string, string>(dir);
    const marker = `PLAIN-${randomBytes(8).toString('hex')}`;
    await db.put('k', `note ${marker}`, { sync: true });
    await db.close();
    expect(await filesContain(dir, marker)).toBe(true);
  });

  it('a sealed value moved to another key fails to decrypt', async () => {
    const { t, tenant } = await fixture();
    const a = await t.store.prescriptions.create(tenant, rx('note a', null));
    const b = await t.store.prescriptions.create(tenant, rx('note b', null));
    await t.store.close();
    const raw = new Level<string, Uint8Array>(t.dir, { valueEncoding: 'view' });
    let keyA = '';
    let keyB = '';
    for await (const k of raw.keys()) {
      if (k.endsWith(`!rx!${a.prescription_id}`)) keyA = k;
      if (k.endsWith(`!rx!${b.prescription_id}`)) keyB = k;
    }
    expect(keyA).not.toBe('');
    await raw.put(keyB, (await raw.get(keyA))!, { sync: true });
    await raw.close();
    const s = await t.reopen();
    expect(await s.prescriptions.get(tenant, a.prescription_id)).toEqual(a);
    const err = await s.prescriptions.get(tenant, b.prescription_id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WardClerkError);
    expect((err as WardClerkError).details.reason).toBe('decrypt_failed');
    expect((err as WardClerkError).message).not.toContain('note');
  });
});

describe('group commit', () => {
  it('200 concurrent creates are all durable and readable after a reopen, in far fewer synced batches', async () => {
    const { t, tenant } = await fixture();
    const before = t.store.stats();
    const made = await Promise.all(Array.from({ length: 200 }, (_, i) => t.store.prescriptions.create(tenant, rx(`note ${i}`, `P-${i % 5}`))));
    const after = t.store.stats();
    expect(after.writes - before.writes).toBeGreaterThanOrEqual(200);
    expect(after.batches - before.batches).toBeLessThan(40);
    const s = await t.reopen();
    for (const r of made) expect(await s.prescriptions.get(tenant, r.prescription_id)).toEqual(r);
    const listed = [];
    let cursor: string | undefined;
    do {
      const page = await s.prescriptions.list(tenant, { limit: 100, cursor });
      listed.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(listed.map((r) => r.prescription_id)).toEqual(made.map((r) => r.prescription_id).sort());
  });
});
