/** Tenants (a hospital or clinic). Creating one creates its data key in the same synced batch. */
import { newId } from '../../core/crypto.js';
import { TENANT_ID_RE } from './layout.js';
import { TenantRecordSchema, type TenantRecord } from './records.js';
import type { StoreContext } from './store-context.js';

export class TenantsRepo {
  readonly #ctx: StoreContext;
  #revision = 0;

  /** Bumped on every write, so caches of tenant settings (CORS origins) know to reload. */
  get revision(): number {
    return this.#revision;
  }

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Creates a tenant (`tn_…` id) and its wrapped DEK atomically and durably. */
  async create(input: { name: string }): Promise<TenantRecord> {
    const { layout, vault, keyring, writer } = this.#ctx;
    const id = newId('tn');
    const rec = TenantRecordSchema.parse({ id, name: input.name, created_at: new Date().toISOString() });
    const { keys, op } = keyring.newTenantKey(id);
    await writer.write([op, vault.put(layout.tenants, id, rec, { kind: 'system' })]);
    keyring.rememberTenant(id, keys);
    this.#revision++;
    return rec;
  }

  /** The tenant, or null for an unknown or malformed id. */
  async get(id: string): Promise<TenantRecord | null> {
    if (!TENANT_ID_RE.test(id)) return null;
    const { layout, vault } = this.#ctx;
    return vault.get(layout.tenants, id, null, TenantRecordSchema);
  }

  /**
   * Changes a tenant's name and/or browser origins (durable); null for an unknown tenant. Callers
   * serialise updates per tenant (the admin API is the only writer).
   */
  async update(id: string, patch: { name?: string; cors_origins?: string[] }): Promise<TenantRecord | null> {
    const current = await this.get(id);
    if (!current) return null;
    const { layout, vault, writer } = this.#ctx;
    const rec = TenantRecordSchema.parse({ ...current, ...patch });
    await writer.write([vault.put(layout.tenants, id, rec, { kind: 'system' })]);
    this.#revision++;
    return rec;
  }

  /** All tenants in creation order. */
  async list(): Promise<TenantRecord[]> {
    const { layout, vault } = this.#ctx;
    const out: TenantRecord[] = [];
    for await (const [key, bytes] of layout.tenants.sub.iterator()) {
      const rec = await vault.decode(layout.tenants.fullKey(key), bytes, null, TenantRecordSchema);
      if (rec) out.push(rec);
    }
    return out;
  }
}
