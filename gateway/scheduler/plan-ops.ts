/**
 * The reminders of a care plan, as operations for the caller's own batch (the care-plans service
 * commits a supersede — old plan revoked, its reminders cancelled, the new plan and its reminders
 * created — in ONE `ctx.writer.write`, then calls every `after()`):
 * - `opsForActivation`: one series per plan activity (unscheduled ones — PRN, no timing — recorded
 *   with their reason), the first reminder of each scheduled one and its due entry;
 * - `opsForCancel`: every open reminder of the plan cancelled, its due entries removed;
 * - `opsForActivityChange`: one activity's series replaced (new timing) or ended;
 * - `opsForZoneChange`: every active series of a patient moved to the patient's new zone (zone-change.ts).
 * Nothing here writes; a bad zone throws INVALID_TIME_ZONE before any op exists.
 */
import { newId } from '../../core/crypto.js';
import type { PlanActivity } from '../../core/care/plan-items.js';
import { assertTimeZone, planSeries, withPatientOverrides, type ClockPolicy } from '../../core/schedule/index.js';
import type { RawOp } from '../store/group-commit.js';
import type { PatientScope } from '../store/reminders-repo.js';
import type { ReminderSeriesRecord } from '../store/reminders-records.js';
import type { SchedulerContext } from './scheduler-context.js';
import { advance, cancelReminder } from './series-step.js';
import { rezoneSeries } from './zone-change.js';

export type ActivityInput = { activity_id: string } & PlanActivity;

export interface ActivationInput {
  tenantId: string;
  patientId: string;
  carePlanId: string;
  /** Users whose apps receive the reminders (the patient's own account; may be empty). */
  audience: string[];
  /** The patient's IANA zone. */
  zone: string;
  activities: ActivityInput[];
  start: Date;
}

export interface CancelInput { tenantId: string; patientId: string; carePlanId: string }

export interface ActivityChangeInput {
  tenantId: string;
  patientId: string;
  carePlanId: string;
  /** The activity as it now is; `ended: true` (or no timing) ends its reminders. */
  activity: ActivityInput & { ended?: boolean };
  audience: string[];
  zone: string;
  start: Date;
}

export interface ZoneChangeInput {
  tenantId: string;
  patientId: string;
  /** The patient's new IANA zone. */
  zone: string;
}

/** One series as created: scheduled, or recorded with why not. */
export interface SeriesSummary { series_id: string; activity_id: string; scheduled: boolean; reason: string | null; first_due_at: string | null }

export interface PlanOpsResult {
  ops: RawOp[];
  /**
   * Call after the batch committed (or failed), in a `finally`: frees the series a cancel, change
   * or zone change holds locked until then (at most 10 s), then wakes the dispatcher. Never
   * throws (a wake that fails is logged; the dispatcher's own timer scans within a minute), and a
   * second call does nothing.
   */
  after(): void;
  series: SeriesSummary[];
}

export interface PlanOps {
  opsForActivation(input: ActivationInput): Promise<PlanOpsResult>;
  opsForCancel(input: CancelInput): Promise<PlanOpsResult>;
  opsForActivityChange(input: ActivityChangeInput): Promise<PlanOpsResult>;
  /**
   * Moves the patient's active series to `zone` (clock times stay local, intervals stay real):
   * the pending reminders re-planned, each move recorded in `replans`. To be written in the same
   * batch as the patient record's new zone; INVALID_TIME_ZONE for an unknown zone.
   */
  opsForZoneChange(input: ZoneChangeInput): Promise<PlanOpsResult>;
}

/** How long series stay locked for a caller that never calls `after()` (its batch failed). */
const HOLD_MS = 10_000;

export function createPlanOps(ctx: SchedulerContext): PlanOps {
  /** The `after()` handed out with a batch's ops: releases first, then wakes; once; never throws. */
  function afterFor(release: () => void = () => undefined): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
      try {
        ctx.wake();
      } catch (e) {
        ctx.log.error({ err: { type: (e as Error)?.name } }, 'dispatcher not woken after a plan change; its next timed scan picks it up');
      }
    };
  }

  /**
   * Locks the series (sorted: no deadlock with another holder) until `release`: the dispatcher
   * and check-ins cannot rewrite a series between our read and the caller's commit (which would
   * bring a cancelled series back to life).
   */
  async function hold(seriesIds: string[]): Promise<() => void> {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const timer = setTimeout(release, HOLD_MS);
    timer.unref();
    for (const id of [...new Set(seriesIds)].sort()) {
      await new Promise<void>((acquired) => void ctx.locks.run(`series:${id}`, () => { acquired(); return gate; }));
    }
    return () => { clearTimeout(timer); release(); };
  }

  /** The listed series that match `keep`, re-read under their locks; `release` frees them. */
  async function lockedSeries(tenantId: string, list: Promise<ReminderSeriesRecord[]>, keep: (s: ReminderSeriesRecord) => boolean): Promise<{ series: ReminderSeriesRecord[]; release: () => void }> {
    const listed = (await list).filter(keep);
    const release = await hold(listed.map((x) => x.series_id));
    try {
      const series: ReminderSeriesRecord[] = [];
      for (const l of listed) {
        const fresh = await ctx.repo.getSeries(tenantId, l.series_id);
        if (fresh && keep(fresh)) series.push(fresh);
      }
      return { series, release };
    } catch (e) {
      release();
      throw e;
    }
  }

  /** The tenant's clock-time policy with the patient's own meal and sleep times. */
  async function policyOf(tenantId: string, patientId: string): Promise<ClockPolicy> {
    const settings = await ctx.settings.get(tenantId);
    const prefs = await ctx.repo.getPrefs(tenantId, patientId);
    return withPatientOverrides(settings.policy, prefs ?? {});
  }

  async function seriesOps(s: PatientScope, input: Omit<ActivationInput, 'activities'>, activities: ActivityInput[], ops: RawOp[]): Promise<SeriesSummary[]> {
    const zone = assertTimeZone(input.zone);
    const policy = await policyOf(input.tenantId, input.patientId);
    const now = ctx.clock.now();
    const out: SeriesSummary[] = [];
    for (const a of activities) {
      const r = planSeries({ timing: a.timing ?? undefined, asNeeded: a.as_needed, start: input.start.getTime(), zone, policy });
      const iso = new Date(now).toISOString();
      const series: ReminderSeriesRecord = {
        series_id: newId('rs'), tenant_id: input.tenantId, patient_id: input.patientId, care_plan_id: input.carePlanId,
        activity_id: a.activity_id, kind: a.kind, title: a.title, audience: input.audience, zone,
        status: r.scheduled ? 'active' : 'unscheduled', reason: r.scheduled ? null : r.reason,
        timing: a.timing ?? null, dosage: a.medication?.dosage ?? null, plan: r.scheduled ? r.plan : null,
        last_index: -1, last_at: null, replanned: null, outcomes: [], open: [], dropped: [], created_at: iso, updated_at: iso,
      };
      const reminder = r.scheduled ? advance(ctx.repo, s, series, now, ops) : null;
      ops.push(...ctx.repo.seriesOps(s, series, true));
      out.push({ series_id: series.series_id, activity_id: a.activity_id, scheduled: series.status !== 'unscheduled', reason: series.reason,
        first_due_at: reminder ? new Date(reminder.due_at).toISOString() : null });
    }
    return out;
  }

  async function cancelSeries(s: PatientScope, series: ReminderSeriesRecord, reason: string, ops: RawOp[]): Promise<void> {
    const now = ctx.clock.now();
    for (const id of series.open) {
      const rem = await ctx.repo.getReminder(series.tenant_id, id);
      if (rem && rem.series_id === series.series_id) cancelReminder(ctx.repo, s, rem, reason, now, ops);
    }
    ops.push(...ctx.repo.seriesOps(s, { ...series, status: 'cancelled', open: [], updated_at: new Date(now).toISOString() }, false));
  }

  return {
    async opsForActivation(input) {
      const s = await ctx.repo.scope(input.tenantId, input.patientId);
      const ops: RawOp[] = [];
      const series = await seriesOps(s, input, input.activities, ops);
      return { ops, after: afterFor(), series };
    },

    async opsForCancel(input) {
      const s = await ctx.repo.scope(input.tenantId, input.patientId);
      const ops: RawOp[] = [];
      const held = await lockedSeries(input.tenantId, ctx.repo.seriesOfPlan(input.tenantId, input.carePlanId),
        (x) => x.patient_id === input.patientId && x.status !== 'cancelled');
      try {
        for (const series of held.series) await cancelSeries(s, series, 'plan_superseded', ops);
      } catch (e) {
        held.release();
        throw e;
      }
      return { ops, after: afterFor(held.release), series: [] };
    },

    async opsForActivityChange(input) {
      const s = await ctx.repo.scope(input.tenantId, input.patientId);
      const ops: RawOp[] = [];
      const id = input.activity.activity_id;
      const held = await lockedSeries(input.tenantId, ctx.repo.seriesOfPlan(input.tenantId, input.carePlanId),
        (x) => x.activity_id === id && x.patient_id === input.patientId && x.status !== 'cancelled');
      try {
        for (const series of held.series) await cancelSeries(s, series, 'activity_changed', ops);
        const ended = input.activity.ended === true || input.activity.timing === null;
        const series = ended ? [] : await seriesOps(s, input, [input.activity], ops);
        return { ops, after: afterFor(held.release), series };
      } catch (e) {
        held.release();
        throw e;
      }
    },

    async opsForZoneChange(input) {
      const zone = assertTimeZone(input.zone);
      const s = await ctx.repo.scope(input.tenantId, input.patientId);
      const held = await lockedSeries(input.tenantId, ctx.repo.seriesOfPatient(input.tenantId, input.patientId),
        (x) => x.patient_id === input.patientId && x.status === 'active' && x.zone !== zone);
      try {
        const ops: RawOp[] = [];
        const policy = await policyOf(input.tenantId, input.patientId);
        const now = ctx.clock.now();
        for (const series of held.series) await rezoneSeries(ctx, s, series, zone, policy, now, ops);
        return { ops, after: afterFor(held.release), series: [] };
      } catch (e) {
        held.release();
        throw e;
      }
    },
  };
}
