/** Pure scheduling logic (issue 8): clock-time policy, Timing expansion, safety limits, re-planning. */
export * from './clock-policy.js';
export { assertTimeZone, fromWall, toWall } from './local-time.js';
export * from './series-plan.js';
export * from './occurrences.js';
export * from './expand-timing.js';
export * from './safety-limits.js';
export * from './replan-missed.js';
export { whenSeconds, isKnownWhen } from './when-codes.js';
