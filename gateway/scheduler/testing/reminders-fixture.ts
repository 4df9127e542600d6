/**
 * Test fixture for the reminder routes (REST and GraphQL): the people fixture's app and real store,
 * the real scheduler on a manual clock at 2027-04-01 08:00 New York with its events recorded, and a
 * tenant with two patients in New York (`me`: Ann Roe, `other`: Bob Doe), a doctor (not yet
 * assigned) and a tenant admin. Dispose with `await using`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { DateTime } from 'luxon';
import type { WardEvent } from '../../../core/contracts.js';
import type { PlanActivity } from '../../../core/care/plan-items.js';
import type { Timing } from '../../../core/clinical/fhir-dosage.js';
import type { AppEnv } from '../../http/app-env.js';
import type { GatewayDeps } from '../../http/deps.js';
import { createPeopleFixture, type PeopleFixture, type TestPerson } from '../../people/testing/people-fixture.js';
import type { PatientRecord } from '../../store/patient-records.js';
import type { ManualClock } from '../clock.js';
import type { Scheduler } from '../scheduler.js';
import { manualScheduler } from './manual-scheduler.js';
import { activity } from './scheduler-kit.js';

export const NY = 'America/New_York';

/** Milliseconds of a New York wall-clock time, e.g. `at('2027-04-01T09:00')`. */
export const at = (iso: string): number => DateTime.fromISO(iso, { zone: NY }).toMillis();

export interface RemindersFixture extends AsyncDisposable {
  fx: PeopleFixture;
  clock: ManualClock;
  scheduler: Scheduler;
  events: WardEvent[];
  tenant: string;
  me: TestPerson;
  other: TestPerson;
  doctor: TestPerson;
  admin: TestPerson;
  /** `me`'s patient record. */
  patient: PatientRecord;
  /** Activates plan `planId` for `me` with one activity (`act_<planId>`) of this timing and kind, from now. */
  activate(planId: string, timing: Timing | null, kind?: PlanActivity['kind']): Promise<void>;
}

/** Builds the fixture; `register` adds the routes under test to the app (before any request). */
export async function createRemindersFixture(register: (app: OpenAPIHono<AppEnv>, deps: GatewayDeps) => void): Promise<RemindersFixture> {
  const fx = await createPeopleFixture();
  const { clock, scheduler, events } = manualScheduler(fx.store, at('2027-04-01T08:00'));
  register(fx.app, { store: fx.store, tokens: fx.tokens, scheduler, sessionKeys: fx.sessionKeys } as Partial<GatewayDeps> as GatewayDeps);
  const tenant = await fx.tenant();
  const me = await fx.person(tenant, 'patient');
  const other = await fx.person(tenant, 'patient');
  const doctor = await fx.person(tenant, 'doctor');
  const admin = await fx.person(tenant, 'tenant_admin');
  const patient = await fx.store.patients.create(tenant, { name: { family: 'Roe', given: ['Ann'] }, time_zone: NY }, { userId: me.user.user_id, createdBy: 'test' });
  await fx.store.patients.create(tenant, { name: { family: 'Doe', given: ['Bob'] }, time_zone: NY }, { userId: other.user.user_id, createdBy: 'test' });
  return {
    fx, clock, scheduler, events, tenant, me, other, doctor, admin, patient,
    async activate(planId, timing, kind = 'medication') {
      const r = await scheduler.opsForActivation({
        tenantId: tenant, patientId: patient.patient_id, carePlanId: planId, audience: [me.user.user_id], zone: NY, start: new Date(clock.now()),
        activities: [activity(`act_${planId}`, timing, kind === 'medication' ? {} : { kind, medication: null })],
      });
      await fx.store.reminders.write(r.ops);
      r.after();
    },
    async [Symbol.asyncDispose]() {
      await scheduler.close();
      await fx[Symbol.asyncDispose]();
    },
  };
}
