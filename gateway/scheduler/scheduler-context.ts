/** What every part of the scheduler (plan ops, dispatcher, check-ins) shares. */
import type { Logger } from '../../core/logger.js';
import type { EventPublisher } from '../events/publisher.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { RemindersRepo } from '../store/reminders-repo.js';
import type { Clock } from './clock.js';
import type { ScheduleSettingsSource } from './schedule-settings.js';

export interface SchedulerContext {
  repo: RemindersRepo;
  events: Pick<EventPublisher, 'stage' | 'release'>;
  settings: ScheduleSettingsSource;
  clock: Clock;
  /** Serialises read-modify-write of one series (key `series:<id>`) between dispatcher and check-ins. */
  locks: KeyedLock;
  /** Assigned staff of a patient (people/access.ts careTeamOf), for adherence alerts. */
  careTeam(tenantId: string, patientId: string): Promise<string[]>;
  log: Logger;
  /** Tells the dispatcher the due index changed (re-arms its timer). */
  wake(): void;
}

export function newLocks(): KeyedLock {
  return new KeyedLock();
}
