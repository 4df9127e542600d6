/**
 * The gateway's scheduler, assembled: plan ops (for the care-plans service's batches), the
 * dispatcher (due index → deliveries, nags, missed, re-plans) and the context the check-in
 * service shares with them. Built once in gateway/main.ts as `deps.scheduler`.
 */
import type { Logger } from '../../core/logger.js';
import type { EventPublisher } from '../events/publisher.js';
import type { RemindersRepo } from '../store/reminders-repo.js';
import { systemClock, type Clock } from './clock.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { createPlanOps, type PlanOps } from './plan-ops.js';
import { ScheduleSettingsSource, type SettingsStore } from './schedule-settings.js';
import { newLocks, type SchedulerContext } from './scheduler-context.js';

export interface Scheduler extends PlanOps {
  readonly ctx: SchedulerContext;
  readonly dispatcher: Dispatcher;
  /** Starts the dispatcher (delivers what fell due while the gateway was down, late). */
  start(): void;
  close(): Promise<void>;
}

export interface SchedulerOptions {
  repo: RemindersRepo;
  events: Pick<EventPublisher, 'stage' | 'release'>;
  log: Logger;
  /** The tenant-settings repo (`store.settings`); null: defaults only. */
  settings: SettingsStore | null;
  careTeam(tenantId: string, patientId: string): Promise<string[]>;
  clock?: Clock;
  dispatcher?: DispatcherOptions;
}

export function createScheduler(o: SchedulerOptions): Scheduler {
  let dispatcher: Dispatcher | null = null;
  const ctx: SchedulerContext = {
    repo: o.repo, events: o.events, log: o.log, careTeam: o.careTeam, clock: o.clock ?? systemClock,
    settings: new ScheduleSettingsSource(o.settings), locks: newLocks(), wake: () => dispatcher?.wake(),
  };
  dispatcher = new Dispatcher(ctx, o.dispatcher);
  const d = dispatcher;
  return { ...createPlanOps(ctx), ctx, dispatcher: d, start: () => d.start(), close: () => d.close() };
}
