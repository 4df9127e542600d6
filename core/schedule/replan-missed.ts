/**
 * Adaptive re-planning of a series after a missed (or late) dose: pure, stateless, recomputed
 * from the original course, the outcomes so far and `now`, so calling it twice gives one answer.
 *
 * Medication: every dose not yet taken or skipped (missed ones included) is laid out again, in
 * order, on the series' own slots from `now` on ("a missed dose shifts the following doses so the
 * course still completes"); a skipped dose is a patient's decision and is not made up. The last
 * dose taken (or due) holds the slot nearest to it, so a dose taken 10 minutes early does not
 * push the next one, and one taken closer to the next slot than to its own takes that slot's
 * place. Each dose then moves later only as far as the safety bounds require:
 * - at least `minIntervalMs` after the previous dose (taken, due or re-planned), so never two at once;
 * - no cap exceeded in any window ending at it (the plan's frequency, `maxDosePerPeriod`);
 * - no later than the course's planned end + `maxExtensionMs`: past that, it and every later dose
 *   are dropped and `adherenceAlert` is set (the doctor is told, `plan.adherence_alert`).
 * Other plan items are not shifted: their future doses stand, missed ones are not made up.
 * Every dose carries the reasons it moved; every dropped one the reason it went.
 *
 * When to call: on each outcome (missed, taken — a late dose pushes the next —, skipped). A dose
 * being delivered right now is passed as `due` with its time: it stays put and counts as a dose.
 */
import { DAY_MS, fromWall } from './local-time.js';
import { bucketOf, bucketStartDay, type DoseCap } from './safety-limits.js';

export type DoseState = 'taken' | 'skipped' | 'missed' | 'due';

/** The latest state of course dose `index`; `at` is when it was taken (taken) or is due (due). */
export interface DoseOutcome { index: number; state: DoseState; at?: number }

export interface ReplanInput {
  medication: boolean;
  /** The patient's IANA zone (calendar caps). */
  zone: string;
  /** The course as first planned: its n instants, ascending (index = position). */
  planned: readonly number[];
  /** The series' slots from a given instant on, open-ended (`openPattern(plan)`). */
  pattern: (from: number) => Iterable<number>;
  outcomes: readonly DoseOutcome[];
  now: number;
  minIntervalMs: number;
  caps: readonly DoseCap[];
  maxExtensionMs: number;
}

export type MoveReason = 'overdue' | 'after_missed_dose' | 'min_interval' | 'frequency' | 'max_dose_per_period';

export interface ReplannedDose { index: number; at: number; plannedAt: number; reasons: MoveReason[] }
export interface DroppedDose { index: number; plannedAt: number; reason: 'course_extension_limit' | 'not_made_up' }

export interface ReplanResult {
  /** Doses still to deliver (due ones excluded), ascending. */
  doses: ReplannedDose[];
  dropped: DroppedDose[];
  adherenceAlert: boolean;
  /** The latest instant a dose may be planned at (planned end + extension). */
  limit: number;
}

/** Whether adding a dose at `t` keeps `cap`; otherwise the earliest instant that might. */
function check(cap: DoseCap, prior: readonly number[], t: number, zone: string, pattern: ReplanInput['pattern']): number | null {
  if (cap.clock === 'real') {
    const inWindow = prior.filter((d) => d > t - cap.periodMs && d <= t).length + 1;
    if (inWindow <= cap.count) return null;
    // The cap-th most recent dose must leave the window (t − P, t].
    return Math.max(t + 1, prior[prior.length - cap.count]! + cap.periodMs);
  }
  const k = bucketOf(cap, zone, t);
  if (prior.filter((d) => bucketOf(cap, zone, d) === k).length + 1 <= cap.count) return null;
  // The bucket is full: the first slot of the next one (a calendar cap never moves a dose to midnight).
  const next = fromWall(zone, bucketStartDay(cap, k + 1) * DAY_MS);
  for (const s of pattern(next)) return Math.max(s, t + 1);
  return Math.max(next, t + 1);
}

/** The pattern slot nearest to instant `t` (the earlier one on a tie), or null when there is none. */
function heldSlot(pattern: ReplanInput['pattern'], t: number): number | null {
  for (const back of [DAY_MS, 8 * DAY_MS, 32 * DAY_MS, 400 * DAY_MS]) {
    let before: number | null = null; let after: number | null = null;
    for (const s of pattern(t - back)) { if (s <= t) before = s; else { after = s; break; } }
    if (before === null && back < 400 * DAY_MS) continue;
    if (before === null || after === null) return before ?? after;
    return t - before <= after - t ? before : after;
  }
  return null;
}

/** Re-plans the rest of a course; see the module comment for the rules. */
export function replanMissed(input: ReplanInput): ReplanResult {
  const { planned, now, zone } = input;
  const n = planned.length;
  const limit = (n > 0 ? planned[n - 1]! : now) + input.maxExtensionMs;
  const state = new Map<number, DoseOutcome>();
  for (const o of input.outcomes) if (o.index >= 0 && o.index < n) state.set(o.index, o);
  const prior: number[] = [];
  for (const o of state.values()) {
    if (o.state === 'taken' || o.state === 'due') prior.push(o.at ?? planned[o.index]!);
  }
  prior.sort((a, b) => a - b);
  const open = planned.map((_, i) => i).filter((i) => { const s = state.get(i)?.state; return s === undefined || s === 'missed'; });
  const out: ReplanResult = { doses: [], dropped: [], adherenceAlert: false, limit };

  if (!input.medication) {
    for (const i of open) {
      if (planned[i]! >= now && state.get(i)?.state !== 'missed') out.doses.push({ index: i, at: planned[i]!, plannedAt: planned[i]!, reasons: [] });
      else out.dropped.push({ index: i, plannedAt: planned[i]!, reason: 'not_made_up' });
    }
    return out;
  }

  const minGap = Math.max(input.minIntervalMs, 1);
  // The last dose taken (or due) holds the slot nearest to it, early or late; the rest follow it.
  const held = prior.length > 0 ? heldSlot(input.pattern, prior[prior.length - 1]!) : null;
  const slots = input.pattern(held === null ? now : Math.max(now, held + 1))[Symbol.iterator]();
  let prev = -Infinity;
  for (let k = 0; k < open.length; k++) {
    const i = open[k]!;
    let slot: number | undefined;
    for (let s = slots.next(); !s.done; s = slots.next()) if (s.value > prev) { slot = s.value; break; }
    const reasons: MoveReason[] = [];
    let t = slot ?? Infinity;
    if (t !== planned[i]) reasons.push(planned[i]! < now ? 'overdue' : 'after_missed_dose');
    // Each bound only pushes later, and pushing later never breaks one already met: iterate to a fixpoint.
    for (let guard = 0; guard < 32; guard++) {
      let moved = false;
      const last = prior.length > 0 ? prior[prior.length - 1]! : -Infinity;
      if (t < last + minGap) { t = last + minGap; moved = true; if (!reasons.includes('min_interval')) reasons.push('min_interval'); }
      for (const cap of input.caps) {
        const later = check(cap, prior, t, zone, input.pattern);
        if (later === null) continue;
        t = later;
        moved = true;
        if (!reasons.includes(cap.source)) reasons.push(cap.source);
      }
      if (!moved) break;
    }
    if (!(t <= limit)) {
      for (const j of open.slice(k)) out.dropped.push({ index: j, plannedAt: planned[j]!, reason: 'course_extension_limit' });
      out.adherenceAlert = true;
      break;
    }
    out.doses.push({ index: i, at: t, plannedAt: planned[i]!, reasons });
    prior.push(t);
    prev = t;
  }
  return out;
}
