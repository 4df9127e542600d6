/**
 * A patient's own meal and sleep times (core/schedule `withPatientOverrides`): stored with the
 * patient's key, then every active series whose times come from the policy (`frequency` series:
 * "before breakfast", "at bedtime", BID …) is re-planned from its next dose on. Dose k stays dose
 * k (same day, new time), so a shift never adds or drops a dose; a slot that moves into the past
 * goes to the next one. Medication courses already shifted by a missed dose keep their safety
 * re-plan. Each moved series gets a `replans` record (trigger `preferences`).
 */
import { newId } from '../../core/crypto.js';
import type { Timing } from '../../core/clinical/fhir-dosage.js';
import { occurrences, PatientClockOverridesSchema, planSeries, withPatientOverrides, type PatientClockOverrides, type SeriesPlan } from '../../core/schedule/index.js';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from '../store/group-commit.js';
import { openReminders } from './adapt.js';
import type { SchedulerContext } from './scheduler-context.js';
import { reschedule } from './series-step.js';

/** Occurrence `index` of `plan` at or after `from` (or the first later one), with its index. */
function slotAt(plan: SeriesPlan, index: number, from: number): { index: number; at: number } | null {
  let k = 0;
  for (const t of occurrences(plan)) {
    if (k >= index && t >= from) return { index: k, at: t };
    if (++k > index + 5000) return null;
  }
  return null;
}

/** Validates and stores the preferences, re-planning the patient's future reminders. Returns how many series moved. */
export async function setSchedulePreferences(ctx: SchedulerContext, tenantId: string, patientId: string, raw: unknown): Promise<{ preferences: PatientClockOverrides; replanned_series: number }> {
  const parsed = PatientClockOverridesSchema.safeParse(raw);
  if (!parsed.success) {
    throw new WardClerkError('VALIDATION_FAILED', 'invalid schedule preferences', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
  }
  const prefs = parsed.data;
  const settings = await ctx.settings.get(tenantId);
  const policy = withPatientOverrides(settings.policy, prefs);
  const s = await ctx.repo.scope(tenantId, patientId);
  await ctx.repo.write([ctx.repo.prefsOp(s, prefs)]);
  let moved = 0;
  for (const listed of await ctx.repo.seriesOfPatient(tenantId, patientId)) {
    if (listed.status !== 'active' || listed.plan?.kind !== 'frequency' || listed.replanned) continue;
    await ctx.locks.run(`series:${listed.series_id}`, async () => {
      const series = await ctx.repo.getSeries(tenantId, listed.series_id);
      if (!series || series.status !== 'active' || !series.plan || series.replanned) return;
      const r = planSeries({ timing: (series.timing ?? undefined) as Timing | undefined, start: series.plan.start, zone: series.zone, policy });
      if (!r.scheduled) return;
      const now = ctx.clock.now();
      const ops: RawOp[] = [];
      const scheduled = (await openReminders(ctx, series)).find((x) => x.state === 'scheduled');
      const changes = [];
      series.plan = r.plan;
      if (scheduled) {
        const slot = slotAt(r.plan, scheduled.index, now);
        if (slot && slot.at !== scheduled.due_at) {
          reschedule(ctx.repo, s, scheduled, slot, now, ops);
          changes.push({ index: scheduled.index, from: scheduled.due_at, to: slot.at, reasons: ['patient_preferences'] });
        }
        if (slot) { series.last_index = slot.index; series.last_at = slot.at; }
      }
      ops.push(...ctx.repo.seriesOps(s, { ...series, updated_at: new Date(now).toISOString() }, false));
      if (changes.length > 0) {
        moved++;
        ops.push(ctx.repo.replanOp(s, { replan_id: newId('rp'), tenant_id: tenantId, patient_id: patientId, series_id: series.series_id,
          care_plan_id: series.care_plan_id, trigger: 'preferences', at: now, moved: changes, dropped: [], adherence_alert: false }));
      }
      await ctx.repo.write(ops);
    });
  }
  ctx.wake();
  return { preferences: prefs, replanned_series: moved };
}

export async function getSchedulePreferences(ctx: SchedulerContext, tenantId: string, patientId: string): Promise<PatientClockOverrides> {
  return (await ctx.repo.getPrefs(tenantId, patientId)) as PatientClockOverrides ?? {};
}
