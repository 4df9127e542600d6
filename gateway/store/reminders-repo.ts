/**
 * Reminder series, reminders, re-plans and the scheduler's root due index. The repo builds
 * operations and reads; the scheduler (gateway/scheduler) decides and commits them in one synced
 * batch per change (`ctx.writer.write`). Keys hold random ids, patient ids (`pt_…`, random) and
 * times only:
 * - `reminderSeries`: series id → series (patient key); `prefs:<patient id>` → meal/sleep times;
 * - `reminders`: reminder id → reminder (patient key);
 * - `remindersByPatient`: `<patient id>:r:<due ms 15>:<reminder id>` and `<patient id>:s:<series id>`;
 * - `seriesByPlan`: `<care plan id>:<series id>`; `replans`: re-plan id → record (patient key);
 * - root `due`: `<due ms 15>:<random id>` → DueEntry (system key).
 */
import { randomBytes } from 'node:crypto';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from './group-commit.js';
import { patientSeal, tenantScope, type TenantScope } from './patient-seal.js';
import {
  DueEntrySchema, ReminderRecordSchema, ReminderSeriesRecordSchema, REMINDER_ID_RE, ReplanRecordSchema, SchedulePrefsSchema, SERIES_ID_RE,
  type DueEntry, type ReminderRecord, type ReminderSeriesRecord, type ReplanRecord,
} from './reminders-records.js';
import type { StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

const EMPTY = new Uint8Array(0);
/** Epoch ms as 15 digits: keys sort by time until the year 33658. */
export const padMs = (ms: number): string => String(Math.max(0, Math.floor(ms))).padStart(15, '0');

/** The tables, keys and patient seal one patient's reminder writes need. */
export interface PatientScope extends TenantScope {
  tenantId: string;
  patientId: string;
  seal: Extract<SealWith, { kind: 'patient' }>;
}

export interface DueItem { key: string; at: number; entry: DueEntry | null }

export class RemindersRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Commits `ops` as one synced batch (durable when it resolves). */
  write(ops: RawOp[]): Promise<void> {
    return this.#ctx.writer.write(ops);
  }

  /** Where a patient's reminder data goes; NOT_FOUND (resource `patient`) without a patient key. */
  async scope(tenantId: string, patientId: string): Promise<PatientScope> {
    const scope = await tenantScope(this.#ctx, tenantId);
    const seal = await patientSeal(this.#ctx, scope, tenantId, patientId);
    if (!seal) throw new WardClerkError('NOT_FOUND', 'patient not found', { details: { resource: 'patient' } });
    return { ...scope, tenantId, patientId, seal };
  }

  /** The series record and, for a new one, its index entries. */
  seriesOps(s: PatientScope, rec: ReminderSeriesRecord, isNew: boolean): RawOp[] {
    const ops = [this.#ctx.vault.put(s.tables.reminderSeries, rec.series_id, rec, s.seal)];
    if (isNew) {
      ops.push({ type: 'put', key: s.tables.seriesByPlan.fullKey(`${rec.care_plan_id}:${rec.series_id}`), value: EMPTY });
      ops.push({ type: 'put', key: s.tables.remindersByPatient.fullKey(`${rec.patient_id}:s:${rec.series_id}`), value: EMPTY });
    }
    return ops;
  }

  /** The per-patient index key of a reminder due at `dueAt`. */
  patientKey(patientId: string, dueAt: number, reminderId: string): string {
    return `${patientId}:r:${padMs(dueAt)}:${reminderId}`;
  }

  /** Puts `rec`; moves its per-patient index entry when `previousKey` differs. */
  reminderOps(s: PatientScope, rec: ReminderRecord, previousKey: string | null): RawOp[] {
    const ops = [this.#ctx.vault.put(s.tables.reminders, rec.reminder_id, rec, s.seal)];
    if (previousKey !== rec.patient_key) {
      if (previousKey !== null) ops.push({ type: 'del', key: s.tables.remindersByPatient.fullKey(previousKey) });
      ops.push({ type: 'put', key: s.tables.remindersByPatient.fullKey(rec.patient_key), value: EMPTY });
    }
    return ops;
  }

  replanOp(s: PatientScope, rec: ReplanRecord): RawOp {
    return this.#ctx.vault.put(s.tables.replans, rec.replan_id, rec, s.seal);
  }

  prefsOp(s: PatientScope, prefs: unknown): RawOp {
    return this.#ctx.vault.put(s.tables.reminderSeries, `prefs:${s.patientId}`, prefs, s.seal);
  }

  async getPrefs(tenantId: string, patientId: string): Promise<Record<string, unknown> | null> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t) return null;
    return this.#ctx.vault.get(t.reminderSeries, `prefs:${patientId}`, tenantId, SchedulePrefsSchema);
  }

  /** A new due-index entry at `at` (its key is random past the time, so entries never collide). */
  dueOp(at: number, entry: DueEntry): { key: string; op: RawOp } {
    const key = `${padMs(at)}:${randomBytes(12).toString('hex')}`;
    return { key, op: this.#ctx.vault.put(this.#ctx.layout.due, key, entry, { kind: 'system' }) };
  }

  delDueOp(key: string): RawOp {
    return { type: 'del', key: this.#ctx.layout.due.fullKey(key) };
  }

  /** Due entries with time ≤ `until`, oldest first, at most `limit`. An unreadable one has `entry: null`. */
  async dueUntil(until: number, limit: number): Promise<DueItem[]> {
    const table = this.#ctx.layout.due;
    const out: DueItem[] = [];
    for await (const [key, bytes] of table.sub.iterator({ lt: `${padMs(until)};`, limit })) {
      const entry = await this.#ctx.vault.decode(table.fullKey(key), bytes, null, DueEntrySchema).catch(() => null);
      out.push({ key, at: Number(key.slice(0, 15)), entry });
    }
    return out;
  }

  /** The earliest due instant in the index, or null when it is empty. */
  async nextDueAt(): Promise<number | null> {
    for await (const key of this.#ctx.layout.due.sub.keys({ limit: 1 })) return Number(key.slice(0, 15));
    return null;
  }

  /** Whether a due entry still exists (it is deleted in the batch that acts on it). */
  async hasDue(key: string): Promise<boolean> {
    return (await this.#ctx.layout.due.sub.get(key)) !== undefined;
  }

  async getSeries(tenantId: string, seriesId: string): Promise<ReminderSeriesRecord | null> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t || !SERIES_ID_RE.test(seriesId)) return null;
    return this.#ctx.vault.get(t.reminderSeries, seriesId, tenantId, ReminderSeriesRecordSchema);
  }

  async getReminder(tenantId: string, reminderId: string): Promise<ReminderRecord | null> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t || !REMINDER_ID_RE.test(reminderId)) return null;
    return this.#ctx.vault.get(t.reminders, reminderId, tenantId, ReminderRecordSchema);
  }

  /** One re-plan record (what moved, what was dropped, why), or null. */
  async getReplan(tenantId: string, replanId: string): Promise<ReplanRecord | null> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t || !/^rp_[0-9A-HJKMNP-TV-Z]{26}$/.test(replanId)) return null;
    return this.#ctx.vault.get(t.replans, replanId, tenantId, ReplanRecordSchema);
  }

  /** Every series of a care plan. */
  async seriesOfPlan(tenantId: string, carePlanId: string): Promise<ReminderSeriesRecord[]> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t) return [];
    const out: ReminderSeriesRecord[] = [];
    for await (const key of t.seriesByPlan.sub.keys({ gt: `${carePlanId}:`, lt: `${carePlanId};` })) {
      const rec = await this.getSeries(tenantId, key.slice(carePlanId.length + 1));
      if (rec && rec.care_plan_id === carePlanId) out.push(rec);
    }
    return out;
  }

  /** Every series of a patient. */
  async seriesOfPatient(tenantId: string, patientId: string): Promise<ReminderSeriesRecord[]> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t) return [];
    const out: ReminderSeriesRecord[] = [];
    const p = `${patientId}:s:`;
    for await (const key of t.remindersByPatient.sub.keys({ gt: p, lt: `${patientId}:s;` })) {
      const rec = await this.getSeries(tenantId, key.slice(p.length));
      if (rec && rec.patient_id === patientId) out.push(rec);
    }
    return out;
  }

  /** A patient's reminders due in [from, to), ascending, at most `limit`, filtered by `keep`. */
  async listForPatient(tenantId: string, patientId: string, range: { from: number; to: number; limit: number },
    keep: (r: ReminderRecord) => boolean): Promise<ReminderRecord[]> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t) return [];
    const out: ReminderRecord[] = [];
    const p = `${patientId}:r:`;
    for await (const key of t.remindersByPatient.sub.keys({ gte: p + padMs(range.from), lt: p + padMs(range.to) })) {
      const rec = await this.getReminder(tenantId, key.slice(key.lastIndexOf(':') + 1));
      // The index is a pointer only: the record must agree with it.
      if (!rec || rec.patient_id !== patientId || rec.patient_key !== key) continue;
      if (keep(rec) && out.push(rec) >= range.limit) break;
    }
    return out;
  }
}
