/**
 * API clients (OAuth client credentials). Stored globally by client id, because a token request
 * names only the client; a per-tenant index lists a tenant's clients.
 */
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { ClientInputSchema, ClientRecordSchema, type ClientInput, type ClientRecord } from './records.js';
import type { StoreContext } from './store-context.js';

const EMPTY = new Uint8Array(0);

export class ClientsRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Creates a client (`cl_…` id) of an existing tenant; NOT_FOUND for an unknown tenant. */
  async create(tenantId: string, input: ClientInput): Promise<ClientRecord> {
    const { layout, vault, keyring, writer } = this.#ctx;
    const tables = layout.tenant(tenantId);
    if (!tables || !(await keyring.tenant(tenantId))) {
      throw new WardClerkError('NOT_FOUND', 'tenant not found', { details: { resource: 'tenant' } });
    }
    const { name, scopes, secret_hash } = ClientInputSchema.parse(input);
    const client_id = newId('cl');
    const rec: ClientRecord = { client_id, tenant_id: tenantId, name, scopes, secret_hash, created_at: new Date().toISOString() };
    await writer.write([
      vault.put(layout.clients, client_id, rec, { kind: 'system' }),
      { type: 'put', key: tables.clients.fullKey(client_id), value: EMPTY },
    ]);
    return rec;
  }

  /** The client with this id in any tenant, or null. */
  async get(clientId: string): Promise<ClientRecord | null> {
    const { layout, vault } = this.#ctx;
    return vault.get(layout.clients, clientId, null, ClientRecordSchema);
  }

  /** A tenant's clients in creation order (empty for an unknown tenant). */
  async list(tenantId: string): Promise<ClientRecord[]> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return [];
    const out: ClientRecord[] = [];
    for await (const clientId of tables.clients.sub.keys()) {
      const rec = await this.get(clientId);
      // The global record is the authority; an index entry pointing elsewhere is ignored.
      if (rec && rec.tenant_id === tenantId) out.push(rec);
    }
    return out;
  }
}
