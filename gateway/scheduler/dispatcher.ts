/**
 * The dispatcher: scans the root due index (times and random ids only) and acts on each entry
 * whose time has come — deliver a reminder (`reminder.due`, to the patient's apps over the
 * WebSocket and to webhooks), re-notify it (nag), or close it as missed (`reminder.missed`, then
 * the adaptive re-plan). Exactly once: the entry is deleted in the same synced batch as the
 * reminder's new state and the event's outbox entry, and the event id is the delivery id
 * (`<reminder id>.<n>`), which JetStream de-duplicates. Entries that fell due while the gateway
 * was down are found at the next scan and delivered with `late: true`. The clock is injected.
 */
import type { WardEvent } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from '../store/group-commit.js';
import type { DueItem, PatientScope } from '../store/reminders-repo.js';
import type { ReminderRecord, ReminderSeriesRecord } from '../store/reminders-records.js';
import { adaptSeries, openReminders } from './adapt.js';
import type { SchedulerContext } from './scheduler-context.js';
import { advance, cancelReminder } from './series-step.js';

export interface DispatcherOptions {
  /** Entries handled at once (their writes share group commits). */
  concurrency?: number;
  /** Longest sleep between scans (a safety net; wakes come from `wake()`). */
  maxSleepMs?: number;
  /** Called after each delivery is durable (bench: lag). */
  onDelivered?(reminder: ReminderRecord, dueAt: number): void;
}

/** The event data of a reminder: ids and times only, never the medicine or the patient's words. */
export function reminderEventData(r: ReminderRecord, deliveryId: string): Record<string, unknown> {
  return {
    reminder_id: r.reminder_id, series_id: r.series_id, care_plan_id: r.care_plan_id, patient_id: r.patient_id,
    activity_id: r.activity_id, due_at: new Date(r.due_at).toISOString(), delivery_id: deliveryId, late: r.late, nag: r.nags, state: r.state,
  };
}

export class Dispatcher {
  readonly #ctx: SchedulerContext;
  readonly #opts: Required<Omit<DispatcherOptions, 'onDelivered'>> & Pick<DispatcherOptions, 'onDelivered'>;
  readonly #inFlight = new Set<string>();
  #cancel: (() => void) | null = null;
  #running: Promise<number> | null = null;
  #again = false;
  #armSeq = 0;
  #closed = true;

  constructor(ctx: SchedulerContext, options: DispatcherOptions = {}) {
    this.#ctx = ctx;
    this.#opts = { concurrency: options.concurrency ?? 64, maxSleepMs: options.maxSleepMs ?? 60_000, onDelivered: options.onDelivered };
  }

  /** Starts scanning: delivers everything already due (late), then sleeps until the next entry. */
  start(): void {
    this.#closed = false;
    this.wake();
  }

  /** The due index changed: scan now if anything is due, else re-arm for the earliest entry. */
  wake(): void {
    if (this.#closed) return;
    if (this.#running) { this.#again = true; return; }
    void this.#arm();
  }

  async #arm(): Promise<void> {
    // Only the latest arm sets a timer: two overlapping ones (a wake during a scan's re-arm) must not leave two chains.
    const seq = ++this.#armSeq;
    this.#cancel?.();
    this.#cancel = null;
    if (this.#closed) return;
    const next = await this.#ctx.repo.nextDueAt().catch(() => null);
    if (seq !== this.#armSeq || this.#closed) return;
    (this.#cancel as (() => void) | null)?.(); // a timer set meanwhile by an older arm
    const delay = next === null ? this.#opts.maxSleepMs : Math.min(this.#opts.maxSleepMs, Math.max(0, next - this.#ctx.clock.now()));
    this.#cancel = this.#ctx.clock.timer(delay, () => {
      this.#cancel = null;
      void this.runDue().catch((e: unknown) => this.#ctx.log.error({ err: { type: (e as Error)?.name } }, 'reminder scan failed'))
        .finally(() => void this.#arm());
    });
  }

  /** Acts on every entry due by now (re-reading until none is left); resolves with how many. */
  runDue(): Promise<number> {
    this.#running ??= (async () => {
      let done = 0;
      const failed = new Set<string>();
      try {
        for (;;) {
          this.#again = false;
          const items = (await this.#ctx.repo.dueUntil(this.#ctx.clock.now(), 256)).filter((i) => !this.#inFlight.has(i.key) && !failed.has(i.key));
          if (items.length === 0) break;
          let next = 0;
          const worker = async (): Promise<void> => {
            while (next < items.length) {
              const item = items[next++]!;
              this.#inFlight.add(item.key);
              try {
                await this.#handle(item);
                done++;
              } catch (e) {
                failed.add(item.key);
                this.#ctx.log.error({ err: { type: (e as Error)?.name, code: (e as WardClerkError)?.code } }, 'due reminder not handled; retried at the next scan');
              } finally {
                this.#inFlight.delete(item.key);
              }
            }
          };
          await Promise.all(Array.from({ length: Math.min(this.#opts.concurrency, items.length) }, worker));
        }
      } finally {
        this.#running = null;
      }
      if (this.#again) this.wake();
      return done;
    })();
    return this.#running;
  }

  /** Stops the timer and waits for a scan in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancel?.();
    this.#cancel = null;
    await this.#running?.catch(() => undefined);
  }

  async #handle(item: DueItem): Promise<void> {
    const { repo } = this.#ctx;
    const drop = (): Promise<void> => repo.write([repo.delDueOp(item.key)]);
    if (!item.entry) return drop();
    const { tenant_id: tenantId, reminder_id: reminderId, series_id: seriesId } = item.entry;
    await this.#ctx.locks.run(`series:${seriesId}`, async () => {
      // Whatever acted on the reminder meanwhile (a check-in, a cancel) removed this entry.
      if (!(await repo.hasDue(item.key))) return;
      const rem = await repo.getReminder(tenantId, reminderId);
      const series = rem ? await repo.getSeries(tenantId, rem.series_id) : null;
      if (!rem || rem.due_key !== item.key || rem.series_id !== seriesId || !series) return drop();
      const s = await repo.scope(tenantId, rem.patient_id).catch(() => null);
      if (!s) return drop(); // the patient's key is gone (crypto-shredded)
      const now = this.#ctx.clock.now();
      const ops: RawOp[] = [repo.delDueOp(item.key)];
      const events: WardEvent[] = [];
      if (series.status === 'cancelled') {
        ops.length = 0; // cancelReminder removes this entry (it is the reminder's due_key)
        cancelReminder(repo, s, rem, 'plan_superseded', now, ops);
        ops.push(...repo.seriesOps(s, { ...series, open: series.open.filter((id) => id !== rem.reminder_id) }, false));
      } else if (item.entry!.action === 'deliver' && (rem.state === 'scheduled' || rem.state === 'snoozed')) {
        await this.#deliver(s, rem, series, item.at, now, ops, events);
      } else if (item.entry!.action === 'nag' && (rem.state === 'due' || rem.state === 'nagged')) {
        await this.#nagOrMiss(s, rem, series, now, ops, events);
      } else {
        ops.push(...repo.reminderOps(s, { ...rem, due_key: null, updated_at: now }, rem.patient_key));
      }
      await repo.write(ops);
      for (const e of events) this.#ctx.events.release(e);
      if (events.some((e) => e.type === 'reminder.due' && e.data.nag === 0)) this.#opts.onDelivered?.(rem, item.at);
    });
  }

  async #deliver(s: PatientScope, rem: ReminderRecord, series: ReminderSeriesRecord, dueAt: number, now: number, ops: RawOp[], events: WardEvent[]): Promise<void> {
    const { repo } = this.#ctx;
    const settings = await this.#ctx.settings.get(rem.tenant_id);
    const firstDelivery = rem.deliveries === 0;
    const nag = repo.dueOp(now + settings.nagIntervalMs, { tenant_id: rem.tenant_id, reminder_id: rem.reminder_id, series_id: rem.series_id, action: 'nag' });
    const updated: ReminderRecord = { ...rem, state: 'due', deliveries: rem.deliveries + 1, delivered_at: now,
      late: now - dueAt > settings.lateAfterMs, snoozed_until: null, due_key: nag.key, updated_at: now };
    ops.push(...repo.reminderOps(s, updated, rem.patient_key), nag.op);
    // A newer dose supersedes an older one still unanswered (after downtime, or nags longer than
    // the dose interval): the older is missed, so a patient never has two doses of a series open.
    const others = await openReminders(this.#ctx, { ...series, open: series.open.filter((id) => id !== rem.reminder_id) });
    const stale = others.filter((r) => r.state === 'due' || r.state === 'nagged');
    for (const old of stale) this.#closeMissed(s, old, series, now, 'next_dose_due', ops, events);
    // The next occurrence exists from the moment this one is delivered: one scheduled reminder per series.
    const next = firstDelivery && series.status === 'active' ? advance(repo, s, series, now, ops) : null;
    if (stale.length > 0) {
      const open = [updated, ...others.filter((r) => !stale.includes(r)), ...(next ? [next] : [])];
      events.push(...await adaptSeries(this.#ctx, s, series, open, settings, now, 'missed', ops));
    }
    ops.push(...repo.seriesOps(s, { ...series, updated_at: new Date(now).toISOString() }, false));
    const deliveryId = `${rem.reminder_id}.${updated.deliveries}`;
    const ev = this.#ctx.events.stage(rem.tenant_id, 'reminder.due', reminderEventData(updated, deliveryId), deliveryId, rem.audience);
    ops.push(ev.op);
    events.push(ev.event);
  }

  async #nagOrMiss(s: PatientScope, rem: ReminderRecord, series: ReminderSeriesRecord, now: number, ops: RawOp[], events: WardEvent[]): Promise<void> {
    const { repo } = this.#ctx;
    const settings = await this.#ctx.settings.get(rem.tenant_id);
    if (rem.nags < settings.nagCount) {
      const nag = repo.dueOp(now + settings.nagIntervalMs, { tenant_id: rem.tenant_id, reminder_id: rem.reminder_id, series_id: rem.series_id, action: 'nag' });
      const updated: ReminderRecord = { ...rem, state: 'nagged', nags: rem.nags + 1, deliveries: rem.deliveries + 1, due_key: nag.key, updated_at: now };
      ops.push(...repo.reminderOps(s, updated, rem.patient_key), nag.op);
      const deliveryId = `${rem.reminder_id}.${updated.deliveries}`;
      const ev = this.#ctx.events.stage(rem.tenant_id, 'reminder.due', reminderEventData(updated, deliveryId), deliveryId, rem.audience);
      ops.push(ev.op);
      events.push(ev.event);
      return;
    }
    this.#closeMissed(s, { ...rem, due_key: null }, series, now, 'no_check_in', ops, events);
    events.push(...await adaptSeries(this.#ctx, s, series, await openReminders(this.#ctx, series), settings, now, 'missed', ops));
    if (series.status === 'active' && series.open.length === 0) advance(repo, s, series, now, ops);
    ops.push(...repo.seriesOps(s, { ...series, updated_at: new Date(now).toISOString() }, false));
  }

  /** Closes an open reminder as missed (its due entry removed), recording the outcome and `reminder.missed`. */
  #closeMissed(s: PatientScope, rem: ReminderRecord, series: ReminderSeriesRecord, now: number, reason: string, ops: RawOp[], events: WardEvent[]): void {
    const { repo } = this.#ctx;
    if (rem.due_key) ops.push(repo.delDueOp(rem.due_key));
    const missed: ReminderRecord = { ...rem, state: 'missed', reason, due_key: null, updated_at: now };
    ops.push(...repo.reminderOps(s, missed, rem.patient_key));
    series.open = series.open.filter((id) => id !== rem.reminder_id);
    series.outcomes = [...series.outcomes.filter((o) => o.index !== rem.index), { index: rem.index, state: 'missed' }];
    const id = `${rem.reminder_id}.missed`;
    const ev = this.#ctx.events.stage(rem.tenant_id, 'reminder.missed', reminderEventData(missed, id), id, rem.audience);
    ops.push(ev.op);
    events.push(ev.event);
  }
}
