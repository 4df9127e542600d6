/**
 * The catch-up a patient's app gets when its WebSocket connects: the `reminder.due` events of the
 * patient's reminders that are due now and not yet checked in (state `due` or `nagged`), as the
 * dispatcher published them — the latest delivery's id (`<reminder id>.<n>`) as the event id and
 * in `delivery_id`, `late` and `nag` as stored. A reminder that fell due while no socket was open
 * (a gateway restart after `kill -9` delivers them before any app can reconnect) so still reaches
 * the app; one the app already had comes again with the same id, which the app drops.
 */
import type { WardEvent } from '../../core/contracts.js';
import type { Store } from '../store/store.js';
import type { ReminderRecord } from '../store/reminders-records.js';
import type { Clock } from './clock.js';
import { reminderEventData } from './dispatcher.js';

/** Most reminders one catch-up carries (the newest by due time). */
export const CATCH_UP_MAX = 50;
// The same window as GET /api/v1/me/reminders?state=due: a reminder stays due for hours at most
// (its nags end in `missed`), so a week back finds every one.
const WINDOW_MS = 7 * 86_400_000;

export interface DueCatchUpDeps {
  store: { patients: Pick<Store['patients'], 'findByUser'>; reminders: Pick<Store['reminders'], 'listForPatient'> };
  clock: Clock;
}

/** The event a reminder's latest delivery published (see Dispatcher): same id, data and audience. */
export function dueEventOf(r: ReminderRecord): WardEvent {
  const deliveryId = `${r.reminder_id}.${r.deliveries}`;
  return {
    id: deliveryId, type: 'reminder.due', tenant_id: r.tenant_id, created_at: new Date(r.updated_at).toISOString(),
    data: reminderEventData(r, deliveryId), ...(r.audience.length ? { audience: { user_ids: r.audience } } : {}),
  };
}

/**
 * The `reminder.due` events of patient user `userId`'s currently due, not checked-in reminders
 * addressed to them (event audience), newest due time first, at most `limit`. None for a user with
 * no patient record.
 */
export async function dueReminderEvents(deps: DueCatchUpDeps, tenantId: string, userId: string, limit = CATCH_UP_MAX): Promise<WardEvent[]> {
  const patient = await deps.store.patients.findByUser(tenantId, userId);
  if (!patient) return [];
  const now = deps.clock.now();
  const due = await deps.store.reminders.listForPatient(tenantId, patient.patient_id, { from: now - WINDOW_MS, to: now + 1, limit: Number.MAX_SAFE_INTEGER },
    (r) => (r.state === 'due' || r.state === 'nagged') && r.deliveries > 0 && r.audience.includes(userId));
  return due.sort((a, b) => b.due_at - a.due_at).slice(0, limit).map(dueEventOf);
}
