/**
 * A patient user's own record: created once however many first uses race, linked instead when
 * staff registered the patient first, and refused (nothing stored) for a bad sign-up zone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWardClerkError } from '../../core/errors.js';
import { HumanNameSchema } from '../store/patient-records.js';
import { ensurePatientForUser, nameFromDisplayName } from './patients-link.js';
import { createPeopleFixture } from './testing/people-fixture.js';

describe('ensurePatientForUser', () => {
  it('creates one record for concurrent first uses and records it on the user', async () => {
    await using f = await createPeopleFixture();
    const tenant = await f.tenant();
    const { user } = await f.person(tenant, 'patient', 'Maria de la Cruz');
    const deps = { store: f.store };
    const all = await Promise.all(Array.from({ length: 5 }, () => ensurePatientForUser(deps, user, { time_zone: 'America/Chicago', sex: 'female' })));
    expect(new Set(all.map((r) => r.patient_id)).size).toBe(1);
    expect(all[0]).toMatchObject({ user_id: user.user_id, time_zone: 'America/Chicago', sex: 'female', name: { family: 'Cruz', given: ['Maria', 'de', 'la'] }, created_by: 'system' });
    expect((await f.store.patients.list(tenant)).items).toHaveLength(1);
    expect((await f.store.users.get(tenant, user.user_id))?.patient_id).toBe(all[0]!.patient_id);
  });

  it('links the record staff registered when the account names it', async () => {
    await using f = await createPeopleFixture();
    const tenant = await f.tenant();
    const staffMade = await f.store.patients.create(tenant, { name: { family: 'Okafor', given: ['Ada'] }, time_zone: 'Europe/London', mrn: 'A-1' }, { createdBy: 'usr_doc' });
    const { user } = await f.person(tenant, 'patient', 'Ada Okafor');
    const linked = await ensurePatientForUser({ store: f.store }, { ...user, patient_id: staffMade.patient_id });
    expect(linked).toMatchObject({ patient_id: staffMade.patient_id, user_id: user.user_id, mrn: 'A-1', time_zone: 'Europe/London' });
    expect((await f.store.patients.list(tenant)).items).toHaveLength(1);
  });

  it('refuses an unknown zone from a sign-up form and stores nothing', async () => {
    await using f = await createPeopleFixture();
    const tenant = await f.tenant();
    const { user } = await f.person(tenant, 'patient');
    let code = '';
    try {
      await ensurePatientForUser({ store: f.store }, user, { time_zone: 'Moon/Tranquility' });
    } catch (e) {
      code = isWardClerkError(e) ? e.code : 'other';
    }
    expect(code).toBe('INVALID_TIME_ZONE');
    expect((await f.store.patients.list(tenant)).items).toEqual([]);
    expect((await f.store.users.get(tenant, user.user_id))?.patient_id).toBeNull();
  });

  it('makes a valid FHIR name out of any display name', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      expect(HumanNameSchema.safeParse(nameFromDisplayName(s)).success).toBe(true);
    }), { numRuns: 300 });
    expect(nameFromDisplayName('  ')).toEqual({ family: '(not given)', given: [] });
  });
});
