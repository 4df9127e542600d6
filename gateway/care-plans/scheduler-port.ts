/**
 * What the care-plans part needs from the scheduler (gateway/scheduler/plan-ops.ts): operations
 * for a plan's reminders, to be written in the care plan's own batch, then every `after()` — in a
 * `finally`, so a batch that fails half-way still frees the series held for it and wakes the
 * dispatcher. `after()` never throws, so it cannot replace the caller's answer or error.
 */
import type { PlanOps } from '../scheduler/plan-ops.js';

export type CarePlanScheduler = Pick<PlanOps, 'opsForActivation' | 'opsForCancel' | 'opsForActivityChange'>;
