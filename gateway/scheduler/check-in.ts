/**
 * A patient's answer to a reminder: `taken`, `skipped` (with a reason) or `snooze` (minutes).
 * Checked under the series lock, written in one synced batch with its `reminder.checked_in` event
 * (durable before the caller answers). Refusals change nothing:
 * - another patient's (or an unknown) reminder: NOT_FOUND, as if it did not exist;
 * - already taken/skipped: REMINDER_ALREADY_CHECKED_IN; its plan superseded or the activity
 *   changed: REMINDER_CANCELLED; missed, or too far ahead to act on: REMINDER_NOT_DUE.
 * A medication dose taken late re-plans the rest of the course (minimum interval kept).
 */
import { z } from 'zod';
import type { WardEvent } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from '../store/group-commit.js';
import type { ReminderRecord } from '../store/reminders-records.js';
import { adaptSeries, openReminders } from './adapt.js';
import { reminderEventData } from './dispatcher.js';
import type { SchedulerContext } from './scheduler-context.js';
import { advance } from './series-step.js';

export const CheckInInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('taken'), reason: z.string().max(500).optional() }).strict(),
  z.object({ action: z.literal('skipped'), reason: z.string().trim().min(1).max(500) }).strict(),
  z.object({ action: z.literal('snooze'), minutes: z.number().int().min(1).max(240), reason: z.string().max(500).optional() }).strict(),
]);
export type CheckInInput = z.infer<typeof CheckInInputSchema>;

/** How far ahead of its time a dose may be marked taken (or skipped). */
export const EARLY_CHECK_IN_MS = 2 * 3_600_000;

export function reminderNotFound(): WardClerkError {
  return new WardClerkError('NOT_FOUND', 'No such reminder', { details: { resource: 'reminder' } });
}

/** Checks in reminder `reminderId` of patient `patientId`; returns the reminder as stored after. */
export async function checkInReminder(ctx: SchedulerContext, tenantId: string, patientId: string, reminderId: string, raw: unknown): Promise<ReminderRecord> {
  const parsed = CheckInInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new WardClerkError('VALIDATION_FAILED', 'invalid check-in', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
  }
  const input = parsed.data;
  const first = await ctx.repo.getReminder(tenantId, reminderId);
  if (!first || first.patient_id !== patientId) throw reminderNotFound();
  let events: WardEvent[] = [];
  const result = await ctx.locks.run(`series:${first.series_id}`, async () => {
    const rem = await ctx.repo.getReminder(tenantId, reminderId);
    const series = rem ? await ctx.repo.getSeries(tenantId, rem.series_id) : null;
    if (!rem || !series) throw reminderNotFound();
    const now = ctx.clock.now();
    if (rem.state === 'cancelled' || series.status === 'cancelled') {
      throw new WardClerkError('REMINDER_CANCELLED', 'This reminder was cancelled (its plan was replaced or the activity changed)', { details: { reason: rem.reason ?? 'plan_superseded' } });
    }
    if (rem.state === 'taken' || rem.state === 'skipped') {
      throw new WardClerkError('REMINDER_ALREADY_CHECKED_IN', 'This reminder was already checked in', { details: { state: rem.state } });
    }
    if (rem.state === 'missed' || (rem.state === 'scheduled' && (input.action === 'snooze' || rem.due_at - now > EARLY_CHECK_IN_MS))) {
      throw new WardClerkError('REMINDER_NOT_DUE', rem.state === 'missed' ? 'This reminder was closed as missed' : 'This reminder is not due yet', { details: { state: rem.state } });
    }
    const s = await ctx.repo.scope(tenantId, patientId);
    const ops: RawOp[] = [];
    if (rem.due_key) ops.push(ctx.repo.delDueOp(rem.due_key));
    let updated: ReminderRecord;
    const out: WardEvent[] = [];
    if (input.action === 'snooze') {
      const until = now + input.minutes * 60_000;
      const due = ctx.repo.dueOp(until, { tenant_id: tenantId, reminder_id: rem.reminder_id, series_id: rem.series_id, action: 'deliver' });
      updated = { ...rem, state: 'snoozed', snoozed_until: until, due_key: due.key, updated_at: now };
      ops.push(due.op);
    } else {
      updated = { ...rem, state: input.action, checked_in_at: now, reason: input.reason ?? null, due_key: null, updated_at: now };
      series.open = series.open.filter((id) => id !== rem.reminder_id);
      series.outcomes = [...series.outcomes.filter((o) => o.index !== rem.index), input.action === 'taken'
        ? { index: rem.index, state: 'taken' as const, at: now } : { index: rem.index, state: 'skipped' as const }];
    }
    ops.push(...ctx.repo.reminderOps(s, updated, rem.patient_key));
    const eventId = `${rem.reminder_id}.checkin.${input.action}.${now}`;
    const ev = ctx.events.stage(tenantId, 'reminder.checked_in', { ...reminderEventData(updated, eventId), action: input.action }, eventId, rem.audience);
    ops.push(ev.op);
    out.push(ev.event);
    if (input.action !== 'snooze') {
      if (input.action === 'taken') {
        const settings = await ctx.settings.get(tenantId);
        out.push(...await adaptSeries(ctx, s, series, await openReminders(ctx, series), settings, now, 'taken_late', ops));
      }
      if (series.status === 'active' && series.open.length === 0) advance(ctx.repo, s, series, now, ops);
      ops.push(...ctx.repo.seriesOps(s, { ...series, updated_at: new Date(now).toISOString() }, false));
    }
    await ctx.repo.write(ops);
    events = out;
    return updated;
  });
  for (const e of events) ctx.events.release(e);
  ctx.wake();
  return result;
}
