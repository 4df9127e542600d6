/**
 * Reminder operations as plain service functions `(deps, principal, input)`, shared by REST
 * (routes.ts) and GraphQL: no second permission model.
 * - a patient lists and checks in their own reminders (`patientOfUser`);
 * - the care team (and anyone `loadPatientFor` admits) reads a patient's reminders;
 * - a tenant admin reads and sets the tenant's `schedule` settings;
 * - a patient sets their own meal and sleep times (their future reminders are re-planned).
 */
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { loadPatientFor, patientOfUser } from '../people/access.js';
import type { ReminderRecord, ReminderState } from '../store/reminders-records.js';
import { checkInReminder } from './check-in.js';
import { getSchedulePreferences, setSchedulePreferences } from './preferences.js';
import { ScheduleSettingsDocSchema, type ScheduleSettingsDoc } from './schedule-settings.js';

export type ReminderDeps = Pick<GatewayDeps, 'store' | 'scheduler'>;

const DAY = 86_400_000;
const MAX_RANGE = 92 * DAY;

export const ReminderListQuerySchema = z.object({
  state: z.enum(['due', 'upcoming', 'missed', 'all']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
}).strict();
export type ReminderListQuery = z.infer<typeof ReminderListQuerySchema>;

/** A reminder as the API shows it (the patient's own app and their care team). */
export interface ReminderView {
  reminder_id: string; series_id: string; care_plan_id: string; activity_id: string; patient_id: string;
  title: string | null; kind: string | null; due_at: string; state: ReminderState; late: boolean; nags: number;
  delivered_at: string | null; checked_in_at: string | null; snoozed_until: string | null; reason: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

async function views(deps: ReminderDeps, rows: ReminderRecord[]): Promise<ReminderView[]> {
  const titles = new Map<string, { title: string; kind: string } | null>();
  const out: ReminderView[] = [];
  for (const r of rows) {
    if (!titles.has(r.series_id)) {
      const s = await deps.store.reminders.getSeries(r.tenant_id, r.series_id);
      titles.set(r.series_id, s ? { title: s.title, kind: s.kind } : null);
    }
    const t = titles.get(r.series_id);
    out.push({
      reminder_id: r.reminder_id, series_id: r.series_id, care_plan_id: r.care_plan_id, activity_id: r.activity_id, patient_id: r.patient_id,
      title: t?.title ?? null, kind: t?.kind ?? null, due_at: new Date(r.due_at).toISOString(), state: r.state, late: r.late, nags: r.nags,
      delivered_at: iso(r.delivered_at), checked_in_at: iso(r.checked_in_at), snoozed_until: iso(r.snoozed_until), reason: r.reason,
    });
  }
  return out;
}

function invalid(message: string, field: string): WardClerkError {
  return new WardClerkError('VALIDATION_FAILED', message, { details: { field } });
}

/** Parses a list query: `due` (delivered, not answered), `upcoming` (scheduled), `missed`; a window of at most 92 days. */
export function parseListQuery(raw: unknown, now: number): { keep: (r: ReminderRecord) => boolean; from: number; to: number; limit: number } {
  const r = ReminderListQuerySchema.safeParse(raw ?? {});
  if (!r.success) throw invalid('invalid reminder query', String(r.error.issues[0]?.path[0] ?? 'query'));
  const q = r.data;
  const state = q.state ?? 'all';
  const defaults = { due: [now - 7 * DAY, now + 1], upcoming: [now, now + 7 * DAY], missed: [now - 30 * DAY, now + 1], all: [now - 30 * DAY, now + 30 * DAY] }[state];
  const from = q.from ? Date.parse(q.from) : defaults[0]!;
  const to = q.to ? Date.parse(q.to) : defaults[1]!;
  if (!(from < to)) throw invalid('from must be before to', 'from');
  if (to - from > MAX_RANGE) throw invalid('the window may span at most 92 days', 'to');
  const keep = {
    due: (x: ReminderRecord) => x.state === 'due' || x.state === 'nagged' || x.state === 'snoozed',
    upcoming: (x: ReminderRecord) => x.state === 'scheduled',
    missed: (x: ReminderRecord) => x.state === 'missed',
    all: () => true,
  }[state];
  return { keep, from, to, limit: q.limit ?? 100 };
}

/** The signed-in patient's reminders. */
export async function listMyReminders(deps: ReminderDeps, principal: Principal, raw: unknown): Promise<ReminderView[]> {
  const patient = await patientOfUser(deps as GatewayDeps, principal);
  const q = parseListQuery(raw, deps.scheduler.ctx.clock.now());
  return views(deps, await deps.store.reminders.listForPatient(patient.tenant_id, patient.patient_id, q, q.keep));
}

/** A patient's reminders, for whoever may see the patient (404 otherwise). */
export async function listPatientReminders(deps: ReminderDeps, principal: Principal, patientId: string, raw: unknown): Promise<ReminderView[]> {
  const patient = await loadPatientFor(deps as GatewayDeps, principal, patientId);
  const q = parseListQuery(raw, deps.scheduler.ctx.clock.now());
  return views(deps, await deps.store.reminders.listForPatient(patient.tenant_id, patient.patient_id, q, q.keep));
}

/** The signed-in patient checks in one of their reminders (another's: 404). */
export async function checkIn(deps: ReminderDeps, principal: Principal, reminderId: string, input: unknown): Promise<ReminderView> {
  const patient = await patientOfUser(deps as GatewayDeps, principal);
  const rec = await checkInReminder(deps.scheduler.ctx, patient.tenant_id, patient.patient_id, reminderId, input);
  return (await views(deps, [rec]))[0]!;
}

function requireTenantAdmin(principal: Principal): string {
  if (principal.kind !== 'user' || principal.role !== 'tenant_admin') {
    throw new WardClerkError('FORBIDDEN', 'Only a tenant admin may change schedule settings', { details: { allowed_roles: ['tenant_admin'] } });
  }
  return principal.tenantId;
}

export async function getScheduleSettings(deps: ReminderDeps, principal: Principal): Promise<ScheduleSettingsDoc> {
  return deps.scheduler.ctx.settings.getDoc(requireTenantAdmin(principal));
}

/** Replaces the tenant's schedule settings (validated whole; nothing stored when invalid). */
export async function putScheduleSettings(deps: ReminderDeps, principal: Principal, raw: unknown): Promise<ScheduleSettingsDoc> {
  const tenantId = requireTenantAdmin(principal);
  const r = ScheduleSettingsDocSchema.safeParse(raw);
  if (!r.success) {
    throw new WardClerkError('VALIDATION_FAILED', 'invalid schedule settings', { details: { issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
  }
  await deps.scheduler.ctx.settings.put(tenantId, r.data);
  return r.data;
}

export async function getMySchedulePreferences(deps: ReminderDeps, principal: Principal): Promise<Record<string, unknown>> {
  const p = await patientOfUser(deps as GatewayDeps, principal);
  return getSchedulePreferences(deps.scheduler.ctx, p.tenant_id, p.patient_id);
}

export async function putMySchedulePreferences(deps: ReminderDeps, principal: Principal, raw: unknown): Promise<{ preferences: Record<string, unknown>; replanned_series: number }> {
  const p = await patientOfUser(deps as GatewayDeps, principal);
  return setSchedulePreferences(deps.scheduler.ctx, p.tenant_id, p.patient_id, raw);
}

