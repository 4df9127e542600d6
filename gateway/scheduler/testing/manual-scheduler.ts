/**
 * Test builder: the real scheduler over a real store's reminders, on a manual clock, with a
 * recording publisher over the store's real outbox (events stamped with the manual clock's time).
 * No care team is named; the log is silent.
 */
import type { WardEvent } from '../../../core/contracts.js';
import { createLogger } from '../../../core/logger.js';
import type { EventPublisher } from '../../events/publisher.js';
import { recordingPublisher } from '../../events/testing/recording-publisher.js';
import type { Store } from '../../store/store.js';
import { ManualClock } from '../clock.js';
import { createScheduler, type Scheduler } from '../scheduler.js';

export interface ManualScheduler {
  clock: ManualClock;
  scheduler: Scheduler;
  /** The scheduler's publisher; routes and steps under test may stage and release through it too. */
  publisher: EventPublisher;
  /** Every event released so far, in order. */
  events: WardEvent[];
}

/** A scheduler whose clock starts at `start` (ms) and moves only when a test sets it. Close the scheduler when done. */
export function manualScheduler(store: Store, start: number): ManualScheduler {
  const clock = new ManualClock(start);
  const { publisher, events } = recordingPublisher(store.outbox, () => clock.now());
  const scheduler = createScheduler({
    repo: store.reminders, events: publisher, log: createLogger({ level: 'silent', role: 'test' }), settings: store.settings, careTeam: async () => [], clock,
  });
  return { clock, scheduler, publisher, events };
}
