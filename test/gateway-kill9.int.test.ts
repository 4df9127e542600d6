/**
 * `kill -9` of the real gateway process (issue 8, "Bad input and faults" and "Schedules and
 * reminders"). The whole appliance runs as processes (nats-server, gateway, engine, worker); people
 * sign up, notes are posted and everything is read back through the HTTP API, a patient's app
 * listens on the WebSocket and a receiver on webhooks; the gateway is SIGKILLed and started again
 * on the same data dir.
 * - During a supersede: right after the restart exactly one plan is active — the old one or the
 *   new one, never both, never neither — and once the note has settled it is the new one, with
 *   every pending reminder its own.
 * - Around reminders' due time: each reminder is delivered once (one delivery id, however often
 *   that id arrives), and those that fell due while the gateway was down come late, `late: true`.
 *   The gateway delivers those as it starts, before any socket can be open again: webhooks get
 *   them pushed, and the patient's app, when it reconnects, finds them in its list of due
 *   reminders and gets them on its new socket (the hub's catch-up of what is due, or live if the
 *   delivery comes after it), each delivery id exactly once on that socket.
 * The gateway's clock cannot be moved from outside, so the fixed-time doses are written for the
 * next whole minute in the patient's zone and the test waits for it (up to a minute).
 * care-plan-crash and reminders-crash SIGKILL a process in the middle of a long run of batches
 * instead (many supersedes, hundreds of deliveries), which one real gateway's timing cannot aim at.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { OPEN_STATES, type ReminderState } from '../gateway/store/reminders-records.js';
import { call, createTenantClient, operatorToken, until } from './api-client.js';
import { startProcessAppliance, type ProcessAppliance } from './appliance-processes.js';
import { postNote, settledNote, signUpCareTeam, type CareTeam } from './care-team-http.js';
import { patientApp, webhookReceiver, type ReminderDue } from './reminder-listeners.js';

const ZONE = 'Asia/Kolkata';
/** Discharge notes with several plan activities each (medications, measurements, intervals). */
const NOTES = ['discharge-diabetes.txt', 'opd-hypertension.txt', 'rx-fever-tds.txt', 'taper-asthma.txt']
  .map((f) => readFileSync(new URL(`../engine/clinical/actions/fixtures/${f}`, import.meta.url), 'utf8'));

interface PlanView { care_plan_id: string; status: 'active' | 'revoked'; replaces: string | null; superseded_by: string | null }
interface ReminderView { reminder_id: string; care_plan_id: string; due_at: string; state: ReminderState; late: boolean; delivered_at: string | null }
interface Data<D> { data: D }

let app: ProcessAppliance;
let operator: string;

beforeAll(async () => {
  app = await startProcessAppliance({
    // The worker retries a note soon after the gateway comes back, and never runs out of attempts here.
    WARDCLERK_ITEM_ACK_WAIT_MS: '1000',
    WARDCLERK_ITEM_MAX_DELIVER: '10',
    WARDCLERK_WEBHOOK_ALLOW: '127.0.0.1',
    WARDCLERK_WEBHOOK_BACKOFF_MS: '200,200,200,200,200',
  });
  operator = await operatorToken(app.url, app.adminPassword);
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** Reads `path` as `token` from the gateway running now; fails unless 200. */
async function get<D>(path: string, token: string): Promise<D> {
  const r = await call<Data<D>>(`${app.url}${path}`, { token });
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data;
}

const plansOf = async (team: CareTeam) => (await get<{ items: PlanView[] }>(`/api/v1/patients/${team.patientId}/care-plans?limit=100`, team.tokens.doctor)).items;

/** Every reminder of the patient in the default window (±30 days); fails when a page might not hold them all. */
async function remindersOf(team: CareTeam): Promise<ReminderView[]> {
  const items = (await get<{ items: ReminderView[] }>(`/api/v1/patients/${team.patientId}/reminders?state=all&limit=100`, team.tokens.doctor)).items;
  expect(items.length).toBeLessThan(100);
  return items;
}

/** One plan active, `planId`; the history a chain; every pending reminder the active plan's, and it has some. */
async function expectOnlyActive(team: CareTeam, planId: string): Promise<void> {
  const plans = await plansOf(team);
  expect(plans.filter((p) => p.status === 'active').map((p) => p.care_plan_id)).toEqual([planId]);
  expect((await get<PlanView>(`/api/v1/patients/${team.patientId}/care-plan`, team.tokens.doctor)).care_plan_id).toBe(planId);
  for (const old of plans.filter((p) => p.status === 'revoked')) {
    expect(plans.find((p) => p.care_plan_id === old.superseded_by)?.replaces).toBe(old.care_plan_id);
  }
  const pending = (await remindersOf(team)).filter((r) => OPEN_STATES.includes(r.state));
  expect(pending.length).toBeGreaterThan(0);
  expect(pending.filter((r) => r.care_plan_id !== planId)).toEqual([]);
}

/** `ms` rounded up to a whole minute. */
const nextMinute = (ms: number): number => Math.ceil(ms / 60_000) * 60_000;
/** Local "HH:mm" of `ms` in `zone`. */
const localClock = (ms: number, zone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

/** The distinct delivery ids each reminder was delivered with (a repeated id counts once). */
function deliveryIds(dues: ReminderDue[]): Map<string, string[]> {
  const ids = new Map<string, Set<string>>();
  for (const d of dues) ids.set(d.reminder_id, (ids.get(d.reminder_id) ?? new Set()).add(d.delivery_id));
  return new Map([...ids].map(([id, set]) => [id, [...set]]));
}

describe('kill -9 of the real gateway', () => {
  it('during a supersede: the old plan or the new one is active, never both, never neither; pending reminders are its own', async () => {
    const { tenantId } = await createTenantClient(app.url, operator, 'Supersede clinic');
    const team = await signUpCareTeam(app.url, operator, tenantId, ZONE, 'supersede');
    const first = await settledNote(() => app.url, team, await postNote(app.url, team, NOTES[0]!));
    expect(first.status).toBe('processed');
    await expectOnlyActive(team, first.care_plan_id!);
    // A second note with every part warm: how long the pipeline takes from the note's creation to
    // its settled batch. The kills are spread over that time.
    const warm = await settledNote(() => app.url, team, await postNote(app.url, team, NOTES[1]!));
    await expectOnlyActive(team, warm.care_plan_id!);
    const settleMs = Date.parse(warm.processed_at!) - Date.parse(warm.created_at);
    let active = warm.care_plan_id!;
    const landed = { before: 0, after: 0 };
    // Fractions of settleMs after the 202, then once the note is seen settled (the kill after the batch).
    for (const [i, at] of [0, 0.25, 0.5, 1, 'settled' as const].entries()) {
      const noteId = await postNote(app.url, team, NOTES[(i + 2) % NOTES.length]!);
      // Not a wait for a condition: where in the note's pipeline the kill lands is this loop's variable.
      if (at === 'settled') await settledNote(() => app.url, team, noteId);
      else await new Promise((r) => setTimeout(r, at * settleMs));
      const killedAt = Date.now();
      await app.roles.gateway.kill9();
      await app.restart('gateway');
      // Straight after the restart (the worker may settle the note meanwhile): one plan, old or new.
      const now = (await plansOf(team)).filter((p) => p.status === 'active');
      expect(now).toHaveLength(1);
      const note = await settledNote(() => app.url, team, noteId);
      expect(note.status).toBe('processed');
      expect([active, note.care_plan_id]).toContain(now[0]!.care_plan_id);
      landed[Date.parse(note.processed_at!) < killedAt ? 'before' : 'after']++;
      await expectOnlyActive(team, note.care_plan_id!);
      active = note.care_plan_id!;
    }
    // The kills fell on both sides of the settling batch: some notes were settled by the gateway
    // that was killed, others only after the restart (the worker's retry).
    expect(landed.before).toBeGreaterThan(0);
    expect(landed.after).toBeGreaterThan(0);
  }, 120_000);

  it('around reminders\' due time: each is delivered once, and those that fell due while it was down come late', async () => {
    const client = await createTenantClient(app.url, operator, 'Reminder clinic', ['webhooks:manage']);
    const team = await signUpCareTeam(app.url, operator, client.tenantId, ZONE, 'reminders');
    // A delivery more than a second after its due time counts as late (the default is a minute).
    const settings = await call(`${app.url}/api/v1/admin/settings/schedule`, { method: 'PUT', token: team.tokens.admin, json: { late_after_seconds: 1 } });
    expect(settings.status).toBe(200);
    const hooks = await webhookReceiver();
    onTestFinished(() => hooks.close());
    const hook = await call(`${app.url}/api/v1/webhooks`, { method: 'POST', token: client.token, json: { url: hooks.url, events: ['reminder.due'], secret: 'whsec-0123456789abcdef' } });
    expect(hook.status).toBe(201);
    const phone = patientApp(team.tokens.patient);
    onTestFinished(() => phone.close());
    await phone.connect(app.url);

    // Two doses every few hours fall due as soon as the plan is made, while the gateway is up; two
    // at a fixed clock time — the next whole minute at least 8 s away, in the patient's zone —
    // fall due while it is down.
    const dueAt = nextMinute(Date.now() + 8_000);
    const clock = localClock(dueAt, ZONE);
    const note = await settledNote(() => app.url, team, await postNote(app.url, team, `Community-acquired pneumonia.
Amoxicillin 500 mg capsule by mouth every 8 hours for 7 days. Paracetamol 500 mg tablet by mouth every 6 hours for 3 days.
Metformin 500 mg tablet by mouth at ${clock} daily for 30 days. Atorvastatin 20 mg tablet by mouth at ${clock} daily for 30 days.`));
    expect(note.status).toBe('processed');
    const planned = await remindersOf(team);
    expect(planned.every((r) => r.care_plan_id === note.care_plan_id)).toBe(true);
    const early = planned.filter((r) => Date.parse(r.due_at) < dueAt).map((r) => r.reminder_id);
    const fixed = planned.filter((r) => Date.parse(r.due_at) === dueAt).map((r) => r.reminder_id);
    // (Once an early dose is delivered its series' next one, hours later, is listed too.)
    expect([early.length, fixed.length]).toEqual([2, 2]);
    await until(async () => early.every((id) => phone.frames.some((f) => f.reminder_id === id)));

    // Down from just before the due time until past it (by more than the late threshold).
    await until(async () => Date.now() >= dueAt - 1_500, 70_000, 20);
    const killedAt = Date.now();
    expect(killedAt, 'the setup ran past the due time').toBeLessThan(dueAt);
    await app.roles.gateway.kill9();
    await phone.closed();
    await until(async () => Date.now() >= dueAt + 1_500, 5_000, 20);
    await app.restart('gateway');
    const before = phone.frames.length;
    await phone.connect(app.url);
    const reconnected = () => phone.frames.slice(before);

    // The app lists what is due on reconnecting: the doses that fell due while it was away are there.
    const due = await until(async () => {
      const items = (await get<{ items: ReminderView[] }>('/api/v1/me/reminders?state=due', team.tokens.patient)).items;
      return items.length === 4 ? items : undefined;
    });
    expect(due.map((r) => r.reminder_id).sort()).toEqual([...early, ...fixed].sort());
    for (const r of due) {
      const late = fixed.includes(r.reminder_id);
      expect(r.late, r.reminder_id).toBe(late);
      if (late) expect(Date.parse(r.delivered_at!)).toBeGreaterThan(killedAt);
      else expect(Date.parse(r.delivered_at!)).toBeLessThan(killedAt);
    }
    // The reconnected socket gets every reminder due now, those that fell due while it was away too.
    await until(async () => [...early, ...fixed].every((id) => reconnected().some((d) => d.reminder_id === id)));
    // Pushed once each: one delivery id per reminder, its first (`.1`), over the socket and to the
    // webhook (which may POST a delivery again: the same id counts once), late exactly when it fell due while down.
    await until(async () => [...early, ...fixed].every((id) => hooks.received.some((d) => d.reminder_id === id)), 30_000);
    // On the reconnected socket each arrived exactly once (frames counted, not ids), late as delivered.
    expect(reconnected().map((d) => d.delivery_id).sort()).toEqual([...early, ...fixed].map((id) => `${id}.1`).sort());
    const hooked = deliveryIds(hooks.received);
    expect([...hooked.keys()].sort()).toEqual([...early, ...fixed].sort());
    for (const [id, ids] of [...hooked, ...deliveryIds(phone.frames)]) expect(ids).toEqual([`${id}.1`]);
    for (const d of [...hooks.received, ...phone.frames]) expect(d.late, d.delivery_id).toBe(fixed.includes(d.reminder_id));
  }, 150_000);
});
