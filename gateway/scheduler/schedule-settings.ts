/**
 * A tenant's `schedule` settings document: the clock-time policy (core/schedule), how often and
 * how many times an unanswered reminder re-notifies, and when a delivery counts as late. Stored
 * in the tenant-settings repo (`deps.store.settings`, document `schedule`); cached in memory per
 * tenant for a few seconds, and dropped on every write through this module.
 */
import { z } from 'zod';
import { DEFAULT_CLOCK_POLICY, parseClockPolicy, type ClockPolicy } from '../../core/schedule/index.js';

/** The document as stored and as `PUT /api/v1/admin/settings/schedule` takes it. */
export const ScheduleSettingsDocSchema = z.object({
  /** Partial clock policy over the defaults (see core/schedule/clock-policy.ts). */
  clock_policy: z.record(z.string(), z.unknown()).optional(),
  nag_interval_minutes: z.number().int().min(1).max(24 * 60).optional(),
  nag_count: z.number().int().min(0).max(12).optional(),
  late_after_seconds: z.number().int().min(1).max(3600).optional(),
}).strict();
export type ScheduleSettingsDoc = z.infer<typeof ScheduleSettingsDocSchema>;

export interface ScheduleSettings {
  policy: ClockPolicy;
  nagIntervalMs: number;
  nagCount: number;
  /** A delivery more than this after its due time carries `late: true`. */
  lateAfterMs: number;
}

export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = {
  policy: DEFAULT_CLOCK_POLICY, nagIntervalMs: 15 * 60_000, nagCount: 4, lateAfterMs: 60_000,
};

/** Validates a document and resolves it over the defaults. Throws VALIDATION_FAILED. */
export function resolveSettings(doc: ScheduleSettingsDoc): ScheduleSettings {
  return {
    policy: parseClockPolicy(doc.clock_policy),
    nagIntervalMs: (doc.nag_interval_minutes ?? 15) * 60_000,
    nagCount: doc.nag_count ?? 4,
    lateAfterMs: (doc.late_after_seconds ?? 60) * 1000,
  };
}

/** The tenant-settings repo as this module uses it (gateway/store/tenant-settings-repo.ts). */
export interface SettingsStore {
  get<S extends z.ZodType>(tenantId: string, name: string, schema: S, fallback: z.infer<S>): Promise<z.infer<S>>;
  put(tenantId: string, name: string, value: unknown): Promise<void>;
}

/** Reads and writes the `schedule` document, with a short per-tenant cache. */
export class ScheduleSettingsSource {
  readonly #store: SettingsStore | null;
  readonly #cache = new Map<string, { at: number; value: ScheduleSettings }>();
  readonly #ttlMs: number;

  constructor(store: SettingsStore | null, ttlMs = 5000) {
    this.#store = store;
    this.#ttlMs = ttlMs;
  }

  async get(tenantId: string): Promise<ScheduleSettings> {
    const hit = this.#cache.get(tenantId);
    if (hit && Date.now() - hit.at < this.#ttlMs) return hit.value;
    const doc = this.#store ? await this.#store.get(tenantId, 'schedule', ScheduleSettingsDocSchema, {}) : {};
    const value = resolveSettings(doc);
    this.#cache.set(tenantId, { at: Date.now(), value });
    return value;
  }

  async getDoc(tenantId: string): Promise<ScheduleSettingsDoc> {
    return this.#store ? this.#store.get(tenantId, 'schedule', ScheduleSettingsDocSchema, {}) : {};
  }

  /** Validates (whole document, resolved once so a bad policy is refused) and stores it. */
  async put(tenantId: string, doc: ScheduleSettingsDoc): Promise<ScheduleSettings> {
    const value = resolveSettings(doc);
    if (!this.#store) throw new Error('no tenant-settings store');
    await this.#store.put(tenantId, 'schedule', doc);
    this.#cache.set(tenantId, { at: Date.now(), value });
    return value;
  }
}
