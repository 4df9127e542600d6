/**
 * A patient's new time zone re-plans their pending reminders, through the real PATCH route, the
 * real store and the real scheduler on a manual clock: fixed clock times stay local, interval
 * doses stay real hours apart, nothing is delivered twice or lost, and each move is recorded.
 */
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { WardEvent } from '../../core/contracts.js';
import { createLogger } from '../../core/logger.js';
import { errorResponse } from '../http/app.js';
import { createOpenApiApp } from '../http/openapi-app.js';
import { registerPatientRoutes } from '../people/patients-routes.js';
import { createPeopleFixture, type PeopleFixture, type TestPerson } from '../people/testing/people-fixture.js';
import type { ReplanRecord } from '../store/reminders-records.js';
import { checkInReminder } from './check-in.js';
import type { ManualClock } from './clock.js';
import type { Scheduler } from './scheduler.js';
import { manualScheduler } from './testing/manual-scheduler.js';
import { activity } from './testing/scheduler-kit.js';

const LONDON = 'Europe/London';
const NY = 'America/New_York';
const TOKYO = 'Asia/Tokyo';
const inZone = (zone: string, iso: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const local = (zone: string, ms: number): string => DateTime.fromMillis(ms, { zone }).toFormat('MM-dd HH:mm');
const log = createLogger({ level: 'silent', role: 'test' });

interface Envelope<T> { status: 'success' | 'error'; data?: T; error?: { code: string } }
interface PatientView { patient_id: string; time_zone: string }

interface World extends AsyncDisposable {
  fx: PeopleFixture;
  clock: ManualClock;
  scheduler: Scheduler;
  events: WardEvent[];
  tenant: string;
  patient: TestPerson;
  patientId: string;
  request<T>(method: string, path: string, who: TestPerson, body?: unknown): Promise<{ status: number; body: Envelope<T> }>;
  /** Runs the dispatcher in `stepMs` steps up to `to`, checking every first delivery in as taken (unless `checkIn` is false: then they go missed). */
  runUntil(to: number, stepMs?: number, checkIn?: boolean): Promise<void>;
  /** First deliveries (nag 0) so far: [reminder id, due instant, course index]. */
  deliveries(): Array<{ id: string; series: string; at: number }>;
  replans(): Promise<ReplanRecord[]>;
}

let world: World | null = null;
afterEach(async () => { await world?.[Symbol.asyncDispose](); world = null; });

async function setup(start: number): Promise<World> {
  const fx = await createPeopleFixture();
  const { clock, scheduler, events } = manualScheduler(fx.store, start);
  // The patient routes as the gateway registers them: with the scheduler (the fixture's own app has none).
  const app = createOpenApiApp();
  app.use('*', async (c, next) => { c.set('requestId', 'zone-test'); c.set('log', log); await next(); });
  app.onError((err, c) => errorResponse(c, err));
  registerPatientRoutes(app, { store: fx.store, tokens: fx.tokens, scheduler });

  const tenant = await fx.tenant();
  const patient = await fx.person(tenant, 'patient', 'Pat Zone');
  const request = async <T>(method: string, path: string, who: TestPerson, body?: unknown) => {
    const res = await app.request(path, { method, headers: who.headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Envelope<T> };
  };
  const me = await request<PatientView>('GET', '/api/v1/me/patient', patient);
  const patientId = me.body.data!.patient_id;
  const seen = new Set<string>();
  const w: World = {
    fx, clock, scheduler, events, tenant, patient, patientId, request,
    async runUntil(to, stepMs = 15 * 60_000, checkIn = true) {
      while (clock.now() < to) {
        clock.set(Math.min(to, clock.now() + stepMs));
        await scheduler.dispatcher.runDue();
        for (const e of events) {
          const id = String(e.data.reminder_id);
          if (e.type !== 'reminder.due' || e.data.nag !== 0 || seen.has(id)) continue;
          seen.add(id);
          if (checkIn) await checkInReminder(scheduler.ctx, tenant, patientId, id, { action: 'taken' });
        }
      }
    },
    deliveries: () => events.filter((e) => e.type === 'reminder.due' && e.data.nag === 0)
      .map((e) => ({ id: String(e.data.reminder_id), series: String(e.data.series_id), at: Date.parse(String(e.data.due_at)) })),
    async replans() {
      const s = await scheduler.ctx.repo.scope(tenant, patientId);
      const out: ReplanRecord[] = [];
      for await (const [key] of s.tables.replans.sub.iterator()) {
        const rec = await fx.store.reminders.getReplan(tenant, key);
        if (rec) out.push(rec);
      }
      return out;
    },
    async [Symbol.asyncDispose]() {
      await scheduler.close();
      await fx[Symbol.asyncDispose]();
    },
  };
  return w;
}

async function activate(w: World, zone: string, activities: Parameters<typeof activity>[]): Promise<void> {
  const r = await w.scheduler.opsForActivation({
    tenantId: w.tenant, patientId: w.patientId, carePlanId: 'cp_ZONE', audience: [w.patient.user.user_id], zone,
    activities: activities.map((a) => activity(...a)), start: new Date(w.clock.now()),
  });
  await w.fx.store.reminders.write(r.ops);
  r.after();
}

describe('a patient changes time zone', () => {
  it('BID at 09:00/21:00 London becomes 09:00/21:00 New York: every dose once, none lost, the move recorded', async () => {
    world = await setup(inZone(LONDON, '2027-06-01T08:00'));
    const w = world;
    expect((await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: LONDON })).status).toBe(200);
    await activate(w, LONDON, [
      ['act_bid', { repeat: { frequency: 2, period: 1, periodUnit: 'd' } }],
      ['act_q8h', { repeat: { frequency: 1, period: 8, periodUnit: 'h' } }],
    ]);
    await w.runUntil(inZone(LONDON, '2027-06-01T12:00'));
    const bidSeries = (await w.fx.store.reminders.seriesOfPatient(w.tenant, w.patientId)).find((s) => s.activity_id === 'act_bid')!;
    expect(w.deliveries().filter((d) => d.series === bidSeries.series_id).map((d) => local(LONDON, d.at))).toEqual(['06-01 09:00']);

    // 12:00 in London is 07:00 in New York: the evening dose (21:00 London, 16:00 New York) moves to 21:00 New York.
    const changed = await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: NY });
    expect(changed).toMatchObject({ status: 200, body: { data: { time_zone: NY } } });
    const pending = await w.fx.store.reminders.listForPatient(w.tenant, w.patientId, { from: 0, to: inZone(NY, '2027-07-01T00:00'), limit: 100 }, (r) => r.state === 'scheduled');
    const bidPending = pending.filter((r) => r.series_id === bidSeries.series_id);
    expect(bidPending.map((r) => [r.index, local(NY, r.due_at)])).toEqual([[1, '06-01 21:00']]);

    await w.runUntil(inZone(NY, '2027-06-04T12:00'));
    const bid = w.deliveries().filter((d) => d.series === bidSeries.series_id);
    expect(bid.map((d) => local(NY, d.at))).toEqual([
      '06-01 04:00', // 09:00 London, before the move
      '06-01 21:00', '06-02 09:00', '06-02 21:00', '06-03 09:00', '06-03 21:00', '06-04 09:00',
    ]);
    expect(new Set(bid.map((d) => d.id)).size).toBe(bid.length);
    const stored = await Promise.all(bid.map((d) => w.fx.store.reminders.getReminder(w.tenant, d.id)));
    expect(stored.map((r) => r?.index)).toEqual([0, 1, 2, 3, 4, 5, 6]); // dose k stayed dose k: none skipped, none twice
    expect(stored.every((r) => r?.state === 'taken')).toBe(true);

    // Every 8 hours stays 8 real hours apart across the move.
    const q8h = w.deliveries().filter((d) => d.series !== bidSeries.series_id).map((d) => d.at);
    expect(q8h.length).toBeGreaterThan(8);
    expect(q8h.slice(1).map((t, i) => t - q8h[i]!)).toEqual(q8h.slice(1).map(() => 8 * 3_600_000));

    const series = await w.fx.store.reminders.getSeries(w.tenant, bidSeries.series_id);
    expect(series).toMatchObject({ zone: NY, plan: { zone: NY } });
    const replans = await w.replans();
    expect(replans).toHaveLength(1);
    expect(replans[0]).toMatchObject({ trigger: 'time_zone', series_id: bidSeries.series_id, dropped: [],
      moved: [{ index: 1, from: inZone(LONDON, '2027-06-01T21:00'), to: inZone(NY, '2027-06-01T21:00'), reasons: ['time_zone_change'] }] });

    // The same zone again re-plans nothing.
    expect((await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: NY })).status).toBe(200);
    expect(await w.replans()).toHaveLength(1);
  });

  it('moving east past a dose\'s new local time skips to the next dose instead of doubling up, and says so', async () => {
    world = await setup(inZone(NY, '2027-06-01T08:00'));
    const w = world;
    expect((await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: NY })).status).toBe(200);
    await activate(w, NY, [['act_fixed', { repeat: { frequency: 2, period: 1, periodUnit: 'd', timeOfDay: ['09:00', '21:00'] } }]]);
    await w.runUntil(inZone(NY, '2027-06-01T10:00'));
    // 10:00 New York is 23:00 Tokyo: 21:00 Tokyo has passed, the next dose is 09:00 Tokyo tomorrow.
    expect((await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: TOKYO })).status).toBe(200);
    await w.runUntil(inZone(TOKYO, '2027-06-03T10:00'));
    expect(w.deliveries().map((d) => local(TOKYO, d.at))).toEqual(['06-01 22:00', '06-02 09:00', '06-02 21:00', '06-03 09:00']);
    const ids = w.deliveries().map((d) => d.id);
    const indexes = (await Promise.all(ids.map((id) => w.fx.store.reminders.getReminder(w.tenant, id)))).map((r) => r?.index);
    expect(indexes).toEqual([0, 2, 3, 4]);
    const [rec] = await w.replans();
    expect(rec).toMatchObject({ trigger: 'time_zone', moved: [{ index: 1, from: inZone(NY, '2027-06-01T21:00'), to: inZone(TOKYO, '2027-06-02T09:00') }],
      dropped: [{ index: 1, planned_at: inZone(TOKYO, '2027-06-01T21:00'), reason: 'time_zone_change' }] });
  });

  it('an unknown zone is refused with nothing stored and no reminder moved', async () => {
    world = await setup(inZone(LONDON, '2027-06-01T08:00'));
    const w = world;
    expect((await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: LONDON })).status).toBe(200);
    await activate(w, LONDON, [['act_bid', { repeat: { frequency: 2, period: 1, periodUnit: 'd' } }]]);
    const before = await w.fx.store.reminders.seriesOfPatient(w.tenant, w.patientId);
    const bad = await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: 'Mars/Olympus_Mons' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('INVALID_TIME_ZONE');
    expect((await w.request<PatientView>('GET', `/api/v1/patients/${w.patientId}`, w.patient)).body.data?.time_zone).toBe(LONDON);
    expect(await w.fx.store.reminders.seriesOfPatient(w.tenant, w.patientId)).toEqual(before);
    expect(await w.replans()).toEqual([]);
  });

  it('a course a missed dose already re-planned keeps each remaining dose at its local time, and still completes', async () => {
    world = await setup(inZone(LONDON, '2027-06-01T08:00'));
    const w = world;
    expect((await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: LONDON })).status).toBe(200);
    await activate(w, LONDON, [['act_course', { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 3, code: 'd' } } }]]);
    await w.runUntil(inZone(LONDON, '2027-06-01T12:00'), 15 * 60_000, false); // 09:00 is never answered: missed, made up later
    const [series] = await w.fx.store.reminders.seriesOfPatient(w.tenant, w.patientId);
    expect(series?.replanned).not.toBeNull();
    expect((await w.request<PatientView>('PATCH', `/api/v1/patients/${w.patientId}`, w.patient, { time_zone: NY })).status).toBe(200);
    const rezoned = (await w.fx.store.reminders.getSeries(w.tenant, series!.series_id))!;
    const future = rezoned.replanned!.filter((d) => d.at > w.clock.now());
    expect(future.length).toBeGreaterThan(0);
    expect(future.every((d) => ['09:00', '21:00'].includes(local(NY, d.at).slice(6)))).toBe(true);

    await w.runUntil(inZone(NY, '2027-06-06T00:00'), 30 * 60_000);
    const after = w.deliveries().slice(1);
    expect(after.map((d) => local(NY, d.at).slice(6)).every((t) => t === '09:00' || t === '21:00')).toBe(true);
    expect(new Set(w.deliveries().map((d) => d.id)).size).toBe(w.deliveries().length);
    const indexes = (await Promise.all(after.map((d) => w.fx.store.reminders.getReminder(w.tenant, d.id)))).map((r) => r!.index);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(new Set(indexes).size).toBe(indexes.length);
    // Six doses in the course: the missed first one made up, none doubled, none lost to the move.
    expect(indexes).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await w.fx.store.reminders.getSeries(w.tenant, series!.series_id))?.status).toBe('ended');
    expect((await w.replans()).map((r) => r.trigger)).toContain('time_zone');
  });
});
