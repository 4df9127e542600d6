/**
 * Test fixture: a real store on disk, a tenant and a patient, and the scheduler on a manual clock.
 * Events go through the store's real outbox (`stage` puts the outbox op committed with the
 * change); `release` records them in order instead of publishing to JetStream.
 */
import type { WardEvent } from '../../../core/contracts.js';
import { initCrypto } from '../../../core/crypto.js';
import { createLogger } from '../../../core/logger.js';
import type { PlanActivity } from '../../../core/care/plan-items.js';
import type { Timing } from '../../../core/clinical/fhir-dosage.js';
import type { EventPublisher } from '../../events/publisher.js';
import { tempStore, type TempStore } from '../../store/testing/temp-store.js';
import { ManualClock } from '../clock.js';
import type { ActivityInput } from '../plan-ops.js';
import { createScheduler, type Scheduler } from '../scheduler.js';

export interface SchedulerKit extends AsyncDisposable {
  t: TempStore;
  clock: ManualClock;
  scheduler: Scheduler;
  tenantId: string;
  patientId: string;
  userId: string;
  events: WardEvent[];
  /** Activates a plan's activities (commits its ops) and returns its id. */
  activate(activities: ActivityInput[], start?: number, planId?: string): Promise<string>;
  /** Moves the clock in `stepMs` steps to `to`, running the dispatcher at each step. */
  runUntil(to: number, stepMs?: number): Promise<void>;
  eventsOf(type: WardEvent['type']): WardEvent[];
}

let planSeq = 0;

export function activity(id: string, timing: Timing | null, extra: Partial<PlanActivity> = {}): ActivityInput {
  return {
    activity_id: id, kind: 'medication', title: 'Test medicine', instruction: '', as_needed: false, span: { start: 0, end: 1 }, source: 'rules',
    medication: { name: 'Test medicine', code: null, dosage: {} }, timing, ...extra,
  } as ActivityInput;
}

export async function schedulerKit(start: number, zone = 'America/New_York'): Promise<SchedulerKit> {
  await initCrypto();
  const t = await tempStore();
  const store = t.store;
  const tenant = await store.tenants.create({ name: 'sched' });
  const userId = 'us_01JAAAAAAAAAAAAAAAAAAAAAAA';
  const patient = await store.patients.create(tenant.id, { name: { family: 'Test', given: ['Pat'] }, time_zone: zone } as never, { userId, createdBy: 'system' });
  const clock = new ManualClock(start);
  const events: WardEvent[] = [];
  const publisher: Pick<EventPublisher, 'stage' | 'release'> = {
    stage(tenantId, type, data, id = `ev${events.length}`, audience) {
      const event: WardEvent = { id, type, tenant_id: tenantId, created_at: new Date(clock.now()).toISOString(), data, ...(audience?.length ? { audience: { user_ids: audience } } : {}) };
      return { event, op: store.outbox.op(event) };
    },
    release(event) { events.push(event); },
  };
  const scheduler = createScheduler({
    repo: store.reminders, events: publisher, log: createLogger({ level: 'silent', role: 'gateway' }), settings: store.settings,
    careTeam: async () => ['us_01JDOCTORAAAAAAAAAAAAAAAAA'], clock,
  });
  const kit: SchedulerKit = {
    t, clock, scheduler, tenantId: tenant.id, patientId: patient.patient_id, userId, events,
    async activate(activities, at = clock.now(), planId = `cp_TEST${String(++planSeq).padStart(22, '0')}`) {
      const r = await scheduler.opsForActivation({ tenantId: tenant.id, patientId: patient.patient_id, carePlanId: planId, audience: [userId], zone, activities, start: new Date(at) });
      await store.reminders.write(r.ops);
      r.after();
      return planId;
    },
    async runUntil(to, stepMs = 5 * 60_000) {
      while (clock.now() < to) {
        clock.set(Math.min(to, clock.now() + stepMs));
        await scheduler.dispatcher.runDue();
      }
    },
    eventsOf: (type) => events.filter((e) => e.type === type),
    async [Symbol.asyncDispose]() {
      await scheduler.close();
      await t[Symbol.asyncDispose]();
    },
  };
  return kit;
}

/** Whether a series' lock is free now: a new holder gets it within 200 ms (a caller's batch holds one up to 10 s). */
export async function seriesLockFree(k: Pick<SchedulerKit, 'scheduler'>, seriesId: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const got = k.scheduler.ctx.locks.run(`series:${seriesId}`, async () => true);
  const late = new Promise<false>((r) => { timer = setTimeout(() => r(false), 200); });
  try {
    return await Promise.race([got, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts the dispatcher wakes asked of the kit's scheduler from now on (the wake itself still runs). */
export function countWakes(k: Pick<SchedulerKit, 'scheduler'>): () => number {
  let n = 0;
  const wake = k.scheduler.ctx.wake;
  k.scheduler.ctx.wake = () => { n++; wake(); };
  return () => n;
}
