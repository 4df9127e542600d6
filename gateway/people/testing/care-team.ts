/**
 * Test builder over the people fixture: a tenant where patient "Alice Smith" has named "Dr Ada" as
 * her doctor through the real REST route, and "Dr Other", a doctor of the same tenant who is not
 * on her care team.
 */
import { expect } from 'vitest';
import type { PeopleFixture, TestPerson } from './people-fixture.js';

export interface CareTeam {
  tenant: string;
  doctor: TestPerson;
  stranger: TestPerson;
  patient: TestPerson;
  patientId: string;
}

/** Seeds the tenant and its people; the patient's record is the one `/me/patient` returns. */
export async function seedCareTeam(fx: PeopleFixture): Promise<CareTeam> {
  const tenant = await fx.tenant();
  const doctor = await fx.person(tenant, 'doctor', 'Dr Ada');
  const stranger = await fx.person(tenant, 'doctor', 'Dr Other');
  const patient = await fx.person(tenant, 'patient', 'Alice Smith');
  expect((await fx.call('POST', '/api/v1/me/doctors', patient.headers, { doctor_ids: [doctor.user.user_id] })).status).toBe(200);
  const me: { data: { patient_id: string } } = (await fx.call('GET', '/api/v1/me/patient', patient.headers)).body;
  return { tenant, doctor, stranger, patient, patientId: me.data.patient_id };
}
