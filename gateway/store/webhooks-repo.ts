/**
 * Webhook subscriptions of a tenant. The signing secret is stored sealed and returned by get/list
 * because the worker signs deliveries with it; the HTTP layer must not echo it.
 */
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { WebhookInputSchema, WebhookRecordSchema, type WebhookInput, type WebhookRecord } from './records.js';
import type { StoreContext } from './store-context.js';

const WEBHOOK_ID_RE = /^wh_[0-9A-HJKMNP-TV-Z]{26}$/;

export class WebhooksRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Creates a subscription (`wh_…` id), durably; NOT_FOUND for an unknown tenant. */
  async create(tenantId: string, input: WebhookInput): Promise<WebhookRecord> {
    const { layout, keyring, vault, writer } = this.#ctx;
    const tables = layout.tenant(tenantId);
    const keys = tables ? await keyring.tenant(tenantId) : null;
    if (!tables || !keys) throw new WardClerkError('NOT_FOUND', 'tenant not found', { details: { resource: 'tenant' } });
    const { url, events, secret } = WebhookInputSchema.parse(input);
    const rec: WebhookRecord = { id: newId('wh'), url, events, secret, created_at: new Date().toISOString() };
    await writer.write([vault.put(tables.webhooks, rec.id, rec, { kind: 'tenant', keys })]);
    return rec;
  }

  /** The tenant's subscriptions in creation order (empty for an unknown tenant). */
  async list(tenantId: string): Promise<WebhookRecord[]> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return [];
    const out: WebhookRecord[] = [];
    for await (const [key, bytes] of tables.webhooks.sub.iterator()) {
      const rec = await this.#ctx.vault.decode(tables.webhooks.fullKey(key), bytes, tenantId, WebhookRecordSchema);
      if (rec) out.push(rec);
    }
    return out;
  }

  /** One subscription, or null (unknown id, or another tenant's). */
  async get(tenantId: string, id: string): Promise<WebhookRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !WEBHOOK_ID_RE.test(id)) return null;
    return this.#ctx.vault.get(tables.webhooks, id, tenantId, WebhookRecordSchema);
  }

  /** Deletes a subscription durably; false when there was none with this id in the tenant. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !(await this.get(tenantId, id))) return false;
    await this.#ctx.writer.write([{ type: 'del', key: tables.webhooks.fullKey(id) }]);
    return true;
  }
}
