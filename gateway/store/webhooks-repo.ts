/**
 * Webhook subscriptions of a tenant. The signing secret is stored sealed and returned by get/list
 * because the worker signs deliveries with it; the HTTP layer must not echo it. A tenant has at
 * most `maxPerTenant` subscriptions. Read-modify-write updates of one subscription (failure
 * counters, status) run under the per-subscription lock that webhook-deliveries-repo.ts shares.
 */
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from './group-commit.js';
import { WebhookInputSchema, WebhookRecordSchema, type WebhookInput, type WebhookRecord } from './records.js';
import type { StoreContext } from './store-context.js';

const WEBHOOK_ID_RE = /^wh_[0-9A-HJKMNP-TV-Z]{26}$/;

/** The lock key of one subscription (shared with WebhookDeliveriesRepo). */
export const webhookLockKey = (tenantId: string, id: string) => `webhook:${tenantId}:${id}`;

/** Key range of everything stored under one subscription in a per-webhook table. */
export const webhookRange = (id: string) => ({ gt: `${id}:`, lt: `${id};` });

export interface CreateWebhookOptions {
  /** Subscriptions the tenant may have; the next one is WEBHOOK_LIMIT_REACHED. */
  maxPerTenant: number;
}

export class WebhooksRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * Creates a subscription (`wh_…` id, active), durably. NOT_FOUND for an unknown tenant;
   * WEBHOOK_LIMIT_REACHED (409) when the tenant already has `maxPerTenant`.
   */
  async create(tenantId: string, input: WebhookInput, options: CreateWebhookOptions = { maxPerTenant: 25 }): Promise<WebhookRecord> {
    const { layout, keyring, vault, writer, locks } = this.#ctx;
    const tables = layout.tenant(tenantId);
    const keys = tables ? await keyring.tenant(tenantId) : null;
    if (!tables || !keys) throw new WardClerkError('NOT_FOUND', 'tenant not found', { details: { resource: 'tenant' } });
    const { url, events, secret } = WebhookInputSchema.parse(input);
    // Serialised per tenant so two concurrent creates cannot both take the last place.
    return locks.run(`webhooks:${tenantId}`, async () => {
      await this.assertRoom(tenantId, options.maxPerTenant);
      const rec = WebhookRecordSchema.parse({ id: newId('wh'), url, events, secret, created_at: new Date().toISOString() });
      await writer.write([vault.put(tables.webhooks, rec.id, rec, { kind: 'tenant', keys })]);
      return rec;
    });
  }

  /** WEBHOOK_LIMIT_REACHED (409) when the tenant has `maxPerTenant` subscriptions already (create checks again under its lock). */
  async assertRoom(tenantId: string, maxPerTenant: number): Promise<void> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return;
    let count = 0;
    for await (const _ of tables.webhooks.sub.keys({ limit: maxPerTenant })) count++;
    if (count >= maxPerTenant) {
      throw new WardClerkError('WEBHOOK_LIMIT_REACHED', `A tenant may have at most ${maxPerTenant} webhook subscriptions`, {
        details: { limit: maxPerTenant },
      });
    }
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

  /**
   * Applies `change` to a subscription under its lock and writes it with `extra` ops, durably.
   * Null when there is no such subscription. Used by the deliveries repo and by {@link setStatus}.
   */
  async update(
    tenantId: string,
    id: string,
    change: (rec: WebhookRecord) => { rec: WebhookRecord; extra?: RawOp[] } | null,
  ): Promise<WebhookRecord | null> {
    return this.#ctx.locks.run(webhookLockKey(tenantId, id), () => this.updateLocked(tenantId, id, change));
  }

  /** {@link update} for a caller that already holds the subscription's lock. */
  async updateLocked(
    tenantId: string,
    id: string,
    change: (rec: WebhookRecord) => { rec: WebhookRecord; extra?: RawOp[] } | null,
  ): Promise<WebhookRecord | null> {
    const { layout, keyring, vault, writer } = this.#ctx;
    const tables = layout.tenant(tenantId);
    const keys = tables ? await keyring.tenant(tenantId) : null;
    const current = await this.get(tenantId, id);
    if (!tables || !keys || !current) return null;
    const out = change(current);
    if (!out) return current;
    await writer.write([vault.put(tables.webhooks, id, out.rec, { kind: 'tenant', keys }), ...(out.extra ?? [])]);
    return out.rec;
  }

  /**
   * Disables a subscription (with a reason) or re-enables it; re-enabling clears the failure
   * streak so it is not disabled again by the failures that disabled it. Null: no such subscription.
   */
  async setStatus(tenantId: string, id: string, status: 'active' | 'disabled', reason = 'manual'): Promise<WebhookRecord | null> {
    return this.update(tenantId, id, (rec) => {
      if (rec.status === status) return null;
      const now = new Date().toISOString();
      return status === 'active'
        ? { rec: { ...rec, status, disabled_reason: null, disabled_at: null, consecutive_failures: 0, failing_since: null } }
        : { rec: { ...rec, status, disabled_reason: reason, disabled_at: now } };
    });
  }

  /** Deletes a subscription and its delivery log durably; false when there was none with this id in the tenant. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !WEBHOOK_ID_RE.test(id)) return false;
    return this.#ctx.locks.run(webhookLockKey(tenantId, id), async () => {
      if (!(await this.get(tenantId, id))) return false;
      const ops: RawOp[] = [{ type: 'del', key: tables.webhooks.fullKey(id) }];
      for (const table of [tables.webhookDeliveries, tables.webhookDeliveryIds, tables.webhookPending]) {
        for await (const key of table.sub.keys(webhookRange(id))) ops.push({ type: 'del', key: table.fullKey(key) });
      }
      await this.#ctx.writer.write(ops);
      return true;
    });
  }
}
