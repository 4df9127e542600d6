/**
 * What the care-plans part needs from the scheduler (gateway/scheduler/plan-ops.ts): operations
 * for a plan's reminders, to be written in the care plan's own batch, then every `after()`.
 */
import type { PlanOps } from '../scheduler/plan-ops.js';

export type CarePlanScheduler = Pick<PlanOps, 'opsForActivation' | 'opsForCancel' | 'opsForActivityChange'>;
