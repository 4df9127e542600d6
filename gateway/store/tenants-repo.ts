/** Tenants (a hospital or clinic). Creating one creates its data key in the same synced batch. */
import { newId } from '../../core/crypto.js';
import { TENANT_ID_RE } from './layout.js';
import { TenantRecordSchema, type TenantRecord } from './records.js';
import type { StoreContext } from './store-context.js';

export class TenantsRepo {
  readonly #ctx: StoreContext;

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
    return rec;
  }

  /** The tenant, or null for an unknown or malformed id. */
  async get(id: string): Promise<TenantRecord | null> {
    if (!TENANT_ID_RE.test(id)) return null;
    const { layout, vault } = this.#ctx;
    return vault.get(layout.tenants, id, null, TenantRecordSchema);
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
