/**
 * Patients and assignments on a real LevelDB: FHIR-shaped records sealed with the patient's key,
 * MRN lookup through a blind index (no MRN or name in any key, nor in any value as plaintext),
 * duplicate MRN and bad zones rejected with nothing stored, both assignment indexes in one batch.
 */
import { randomBytes } from 'node:crypto';
import { Level } from 'level';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isWardClerkError } from '../../core/errors.js';
import type { PatientInput } from './patient-records.js';
import { tempStore, type TempStore } from './testing/temp-store.js';

async function fixture() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  const tenant = (await t.store.tenants.create({ name: 'A' })).id;
  return { t, tenant };
}

const marker = (what: string) => `${what}${randomBytes(6).toString('hex')}`;
const input = (over: Partial<PatientInput> = {}): PatientInput => ({
  name: { family: 'Okafor', given: ['Ada'] }, birth_date: '1980-02-29', sex: 'female', time_zone: 'Europe/London', mrn: null, ...over,
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isWardClerkError(e) ? `${e.code}:${e.status}` : `other:${String(e)}`;
  }
  return 'resolved';
}

/** Every key and value in the store, read with a raw LevelDB after closing the store. */
async function rawEntries(t: TempStore): Promise<Array<[string, Buffer]>> {
  await t.store.close();
  const db = new Level<string, Buffer>(t.dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  const out: Array<[string, Buffer]> = [];
  for await (const [k, v] of db.iterator()) out.push([k, v]);
  await db.close();
  await t.reopen();
  return out;
}

describe('PatientsRepo', () => {
  it('stores a FHIR-shaped record sealed with the patient key and reads it back', async () => {
    const { t, tenant } = await fixture();
    const rec = await t.store.patients.create(tenant, input({ mrn: 'MRN-1' }), { createdBy: 'usr_x' });
    expect(rec.patient_id).toMatch(/^pt_[0-9A-Z]{26}$/);
    expect(rec).toMatchObject({ tenant_id: tenant, user_id: null, sex: 'female', time_zone: 'Europe/London', mrn: 'MRN-1', created_by: 'usr_x' });
    await t.reopen();
    expect(await t.store.patients.get(tenant, rec.patient_id)).toEqual(rec);
    const other = (await t.store.tenants.create({ name: 'B' })).id;
    expect(await t.store.patients.get(other, rec.patient_id)).toBeNull();
    expect(await t.store.patients.get(tenant, 'pt_nope')).toBeNull();
  });

  it('finds a patient by MRN through a blind index; no MRN or name appears in any key or as plaintext', async () => {
    const { t, tenant } = await fixture();
    const mrn = marker('MRN');
    const family = marker('Family');
    const rec = await t.store.patients.create(tenant, input({ mrn, name: { family, given: ['Given'] } }), { createdBy: 'usr_x' });
    expect((await t.store.patients.findByMrn(tenant, `  ${mrn.toLowerCase()} `))?.patient_id).toBe(rec.patient_id);
    expect(await t.store.patients.findByMrn(tenant, 'MRN-other')).toBeNull();
    const entries = await rawEntries(t);
    const keys = entries.map(([k]) => k);
    expect(keys.some((k) => k.includes('!patients-mrn!'))).toBe(true);
    for (const [k, v] of entries) {
      for (const secret of [mrn, mrn.toLowerCase(), family, family.toLowerCase()]) {
        expect(k).not.toContain(secret);
        expect(v.includes(Buffer.from(secret))).toBe(false);
      }
    }
  });

  it('refuses a duplicate MRN in the tenant (409) and stores nothing; another tenant may reuse it', async () => {
    const { t, tenant } = await fixture();
    await t.store.patients.create(tenant, input({ mrn: 'MRN-7' }), { createdBy: 'usr_x' });
    const before = await rawEntries(t);
    expect(await codeOf(t.store.patients.create(tenant, input({ mrn: ' mrn-7 ' }), { createdBy: 'usr_y' }))).toBe('CONFLICT:409');
    // Concurrent registrations of one MRN: exactly one wins.
    const race = await Promise.allSettled([1, 2, 3].map(() => t.store.patients.create(tenant, input({ mrn: 'MRN-8' }), { createdBy: 'usr_x' })));
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const after = await rawEntries(t);
    expect(after.length - before.length).toBe(3); // the one MRN-8 patient: record, MRN index, wrapped patient key
    const other = (await t.store.tenants.create({ name: 'B' })).id;
    expect((await t.store.patients.create(other, input({ mrn: 'MRN-7' }), { createdBy: 'usr_z' })).mrn).toBe('MRN-7');
  });

  it('rejects an unknown IANA zone and malformed input, storing nothing (not even a patient key)', async () => {
    const { t, tenant } = await fixture();
    const before = (await rawEntries(t)).length;
    for (const zone of ['Mars/Olympus', 'UTC+3', '', 'Europe/London/../x']) {
      expect(await codeOf(t.store.patients.create(tenant, input({ time_zone: zone }), { createdBy: 'u' }))).toMatch(/^(INVALID_TIME_ZONE|VALIDATION_FAILED):400$/);
    }
    expect(await codeOf(t.store.patients.create(tenant, input({ time_zone: 'Mars/Olympus' }), { createdBy: 'u' }))).toBe('INVALID_TIME_ZONE:400');
    expect(await codeOf(t.store.patients.create(tenant, input({ birth_date: '2999-01-01' }), { createdBy: 'u' }))).toBe('VALIDATION_FAILED:400');
    expect(await codeOf(t.store.patients.create(tenant, { ...input(), name: { family: '', given: [] } }, { createdBy: 'u' }))).toBe('VALIDATION_FAILED:400');
    expect((await rawEntries(t)).length).toBe(before);
  });

  it('updates zone and MRN (old index removed, new one unique) and links a user once', async () => {
    const { t, tenant } = await fixture();
    const a = await t.store.patients.create(tenant, input({ mrn: 'A-1' }), { createdBy: 'u' });
    await t.store.patients.create(tenant, input({ mrn: 'B-1' }), { createdBy: 'u' });
    expect(await codeOf(t.store.patients.update(tenant, a.patient_id, { time_zone: 'Nowhere/City' }))).toBe('INVALID_TIME_ZONE:400');
    expect(await codeOf(t.store.patients.update(tenant, a.patient_id, { mrn: 'B-1' }))).toBe('CONFLICT:409');
    const changed = await t.store.patients.update(tenant, a.patient_id, { time_zone: 'America/New_York', mrn: 'A-2' });
    expect(changed).toMatchObject({ time_zone: 'America/New_York', mrn: 'A-2' });
    expect(await t.store.patients.findByMrn(tenant, 'A-1')).toBeNull();
    expect((await t.store.patients.findByMrn(tenant, 'A-2'))?.patient_id).toBe(a.patient_id);
    expect(await t.store.patients.update(tenant, 'pt_00000000000000000000000000', { sex: 'male' })).toBeNull();

    expect((await t.store.patients.linkUser(tenant, a.patient_id, 'usr_1'))?.user_id).toBe('usr_1');
    expect((await t.store.patients.findByUser(tenant, 'usr_1'))?.patient_id).toBe(a.patient_id);
    expect(await codeOf(t.store.patients.linkUser(tenant, a.patient_id, 'usr_2'))).toBe('CONFLICT:409');
    expect(await codeOf(t.store.patients.create(tenant, input(), { createdBy: 'u', userId: 'usr_1' }))).toBe('CONFLICT:409');
  });

  it('pages through the tenant in creation order', async () => {
    const { t, tenant } = await fixture();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await t.store.patients.create(tenant, input(), { createdBy: 'u' })).patient_id);
    const p1 = await t.store.patients.list(tenant, { limit: 2 });
    const p2 = await t.store.patients.list(tenant, { limit: 2, cursor: p1.next_cursor! });
    const p3 = await t.store.patients.list(tenant, { limit: 2, cursor: p2.next_cursor! });
    expect([...p1.items, ...p2.items, ...p3.items].map((p) => p.patient_id)).toEqual(ids);
    expect(p3.next_cursor).toBeNull();
    expect(await codeOf(t.store.patients.list(tenant, { limit: 0 }))).toBe('VALIDATION_FAILED:400');
    expect(await codeOf(t.store.patients.list(tenant, { cursor: 'x' }))).toBe('VALIDATION_FAILED:400');
  });
});

describe('AssignmentsRepo', () => {
  it('writes and removes both indexes together', async () => {
    const { t, tenant } = await fixture();
    const p = await t.store.patients.create(tenant, input(), { createdBy: 'u' });
    const q = await t.store.patients.create(tenant, input(), { createdBy: 'u' });
    await t.store.assignments.assign(tenant, 'usr_doc', p.patient_id);
    await t.store.assignments.assign(tenant, 'usr_doc', q.patient_id);
    await t.store.assignments.assign(tenant, 'usr_nurse', p.patient_id);
    expect(await t.store.assignments.isAssigned(tenant, 'usr_doc', p.patient_id)).toBe(true);
    expect(await t.store.assignments.staffOf(tenant, p.patient_id)).toEqual(['usr_doc', 'usr_nurse']);
    expect((await t.store.assignments.patientsOf(tenant, 'usr_doc', { limit: 1 })).ids).toEqual([p.patient_id]);
    expect(await t.store.assignments.unassign(tenant, 'usr_doc', p.patient_id)).toBe(true);
    expect(await t.store.assignments.unassign(tenant, 'usr_doc', p.patient_id)).toBe(false);
    expect(await t.store.assignments.staffOf(tenant, p.patient_id)).toEqual(['usr_nurse']);
    expect((await t.store.assignments.patientsOf(tenant, 'usr_doc', { limit: 10 })).ids).toEqual([q.patient_id]);
    const keys = (await rawEntries(t)).map(([k]) => k).filter((k) => k.includes('!assign-'));
    expect(keys.sort()).toEqual([
      `!t!!${tenant}!!assign-patient!${p.patient_id}:usr_nurse`, `!t!!${tenant}!!assign-patient!${q.patient_id}:usr_doc`,
      `!t!!${tenant}!!assign-staff!usr_doc:${q.patient_id}`, `!t!!${tenant}!!assign-staff!usr_nurse:${p.patient_id}`,
    ].sort());
  });
});
