/**
 * Per-tenant settings documents (issue 8): small JSON documents named `people`, `schedule`, …,
 * each sealed with the tenant's key under its name. Each feature owns its document and its
 * schema; a missing or (after a schema change) unreadable document reads as the caller's fallback.
 */
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';
import { tenantScope } from './patient-seal.js';
import type { StoreContext } from './store-context.js';

const NAME_RE = /^[a-z][a-z0-9-]{0,31}$/;

function checkName(name: string): void {
  if (!NAME_RE.test(name)) throw new WardClerkError('INTERNAL', 'bad settings document name', { details: { reason: 'bad_settings_name' } });
}

export class TenantSettingsRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * The tenant's document `name` checked by `schema`, or `fallback` when none is stored (or the
   * stored one no longer fits the schema). NOT_FOUND for an unknown tenant.
   */
  async get<S extends z.ZodType>(tenantId: string, name: string, schema: S, fallback: z.infer<S>): Promise<z.infer<S>> {
    checkName(name);
    const { tables } = await tenantScope(this.#ctx, tenantId);
    const bytes = await tables.settings.sub.get(name);
    if (!bytes) return fallback;
    const stored = await this.#ctx.vault.decode(tables.settings.fullKey(name), bytes, tenantId, z.unknown());
    const parsed = schema.safeParse(stored);
    return parsed.success ? parsed.data : fallback;
  }

  /** Replaces the tenant's document `name` with `value` (validate it first), durably. */
  async put(tenantId: string, name: string, value: unknown): Promise<void> {
    checkName(name);
    const { tables, keys } = await tenantScope(this.#ctx, tenantId);
    await this.#ctx.writer.write([this.#ctx.vault.put(tables.settings, name, value, { kind: 'tenant', keys })]);
  }
}
