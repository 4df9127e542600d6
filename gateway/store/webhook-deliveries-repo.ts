/**
 * The delivery log of webhook subscriptions: one record per event delivered to a subscription
 * (ids, status, attempts, last status/error code — the event itself holds ids only), a
 * pending-index per subscription that bounds how many deliveries may be queued or retrying, and the
 * failure streak that disables a subscription after sustained failure. Every change to one
 * subscription runs under its lock (webhooks-repo.ts), so counters and caps stay exact.
 */
import type { WardEvent, WebhookResult } from '../../core/contracts.js';
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from './group-commit.js';
import { WebhookDeliveryRecordSchema, type WebhookDeliveryRecord, type WebhookRecord } from './records.js';
import { MAX_PAGE, type StoreContext } from './store-context.js';
import { webhookLockKey, webhookRange, type WebhooksRepo } from './webhooks-repo.js';

const EMPTY = new Uint8Array(0);
const enc = new TextEncoder();
const dec = new TextDecoder();
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECORD_ID_RE = /^whd_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Limits and the disable rule, from Config (WARDCLERK_WEBHOOK_*). */
export interface WebhookDeliverySettings {
  /** Deliveries one subscription may have pending before new events for it are skipped. */
  maxPending: number;
  /** A pending entry older than this no longer counts (its delivery ran out of attempts unreported). */
  pendingStaleMs: number;
  /** Disable after this many consecutive failed attempts … */
  disableAfterFailures: number;
  /** … spanning at least this long. */
  disableAfterMs: number;
  /** Delivery records kept per subscription (the oldest finished ones are pruned). */
  historyLimit: number;
}

/** A delivery id (admitted, or still pending from before), `skipped` (too many pending), or null (already finished). */
type Admission = string | 'skipped' | null;

export interface AdmitResult {
  deliveries: Array<{ webhook_id: string; delivery_id: string }>;
  skipped: number;
}

export interface ResultOutcome {
  status: 'active' | 'disabled' | 'gone';
  /** The subscription was disabled by this result (emit `webhook.disabled` once). */
  disabledNow: WebhookRecord | null;
}

export interface DeliveryPage {
  items: WebhookDeliveryRecord[];
  next_cursor: string | null;
}

/** Milliseconds since the epoch encoded in a `prefix_<ULID>` id. */
function idTimeMs(id: string): number {
  const ulid = id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11);
  let ms = 0;
  for (const ch of ulid) ms = ms * 32 + CROCKFORD.indexOf(ch);
  return ms;
}

export class WebhookDeliveriesRepo {
  readonly #ctx: StoreContext;
  readonly #hooks: WebhooksRepo;
  /** Admissions per subscription since the last prune (pruning every admission would cost a scan each). */
  readonly #sincePrune = new Map<string, number>();
  /**
   * Per subscription: an upper bound of its pending entries, kept under its lock. Below the cap it
   * spares a scan per admission; at the cap an exact count (which also drops stale entries) resets it.
   */
  readonly #pendingBound = new Map<string, number>();
  /** Admissions waiting for a subscription's lock, committed together by whoever holds it next. */
  readonly #admitQueues = new Map<string, Array<{ event: WardEvent; resolve: (v: Admission) => void; reject: (e: unknown) => void }>>();

  constructor(ctx: StoreContext, hooks: WebhooksRepo) {
    this.#ctx = ctx;
    this.#hooks = hooks;
  }

  #tables(tenantId: string) {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) throw new WardClerkError('NOT_FOUND', 'tenant not found', { details: { resource: 'tenant' } });
    return tables;
  }

  async #keys(tenantId: string) {
    const keys = await this.#ctx.keyring.tenant(tenantId);
    if (!keys) throw new WardClerkError('NOT_FOUND', 'tenant not found', { details: { resource: 'tenant' } });
    return keys;
  }

  async #recordIdOf(tenantId: string, webhookId: string, deliveryId: string): Promise<string | null> {
    const bytes = await this.#tables(tenantId).webhookDeliveryIds.sub.get(`${webhookId}:${deliveryId}`);
    return bytes ? dec.decode(bytes) : null;
  }

  /** One delivery record, or null (unknown id, another subscription's or another tenant's). */
  async get(tenantId: string, webhookId: string, recordId: string): Promise<WebhookDeliveryRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !RECORD_ID_RE.test(recordId)) return null;
    return this.#ctx.vault.get(tables.webhookDeliveries, `${webhookId}:${recordId}`, tenantId, WebhookDeliveryRecordSchema);
  }

  async #pendingCount(tenantId: string, webhookId: string, s: WebhookDeliverySettings, now: number): Promise<number> {
    let n = 0;
    // Newest first, so stale entries (older than pendingStaleMs) end the count early.
    for await (const key of this.#tables(tenantId).webhookPending.sub.keys({ ...webhookRange(webhookId), reverse: true, limit: s.maxPending })) {
      if (now - idTimeMs(key.slice(webhookId.length + 1)) > s.pendingStaleMs) break;
      n++;
    }
    return n;
  }

  /**
   * Admits an event for every active subscription of its tenant that wants its type: writes a
   * pending delivery record, or counts it as skipped when the subscription has `maxPending`
   * deliveries pending already. Idempotent per delivery id (a re-admitted pending delivery is
   * returned again; a finished one is not). Concurrent admissions for one subscription are
   * committed together (one pending count, one synced write), so a busy tenant's events do not
   * queue behind one fsync each.
   */
  async admit(tenantId: string, event: WardEvent, s: WebhookDeliverySettings): Promise<AdmitResult> {
    const hooks = (await this.#hooks.list(tenantId)).filter((h) => h.status === 'active' && h.events.includes(event.type));
    const verdicts = await Promise.all(hooks.map((hook) => this.#enqueueAdmit(tenantId, hook.id, event, s)));
    const out: AdmitResult = { deliveries: [], skipped: 0 };
    hooks.forEach((hook, i) => {
      const v = verdicts[i];
      if (v === 'skipped') out.skipped++;
      else if (v) out.deliveries.push({ webhook_id: hook.id, delivery_id: v });
    });
    return out;
  }

  #enqueueAdmit(tenantId: string, webhookId: string, event: WardEvent, s: WebhookDeliverySettings): Promise<Admission> {
    const key = webhookLockKey(tenantId, webhookId);
    return new Promise<Admission>((resolve, reject) => {
      let queue = this.#admitQueues.get(key);
      if (queue) {
        queue.push({ event, resolve, reject });
        return;
      }
      queue = [{ event, resolve, reject }];
      this.#admitQueues.set(key, queue);
      // Whoever opens a queue runs it once the lock is free; everything queued by then goes in one batch.
      void this.#ctx.locks.run(key, async () => {
        const batch = this.#admitQueues.get(key) ?? [];
        this.#admitQueues.delete(key);
        try {
          const verdicts = await this.#admitBatch(tenantId, webhookId, batch.map((b) => b.event), s);
          batch.forEach((b, i) => b.resolve(verdicts[i] ?? null));
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      });
    });
  }

  async #admitBatch(tenantId: string, webhookId: string, events: WardEvent[], s: WebhookDeliverySettings): Promise<Admission[]> {
    const tables = this.#tables(tenantId);
    const keys = await this.#keys(tenantId);
    const now = Date.now();
    const at = new Date(now).toISOString();
    const boundKey = webhookLockKey(tenantId, webhookId);
    let pending = this.#pendingBound.get(boundKey) ?? (await this.#pendingCount(tenantId, webhookId, s, now));
    const ops: RawOp[] = [];
    const verdicts: Admission[] = [];
    const inBatch = new Map<string, Admission>();
    let skipped = 0;
    for (const event of events) {
      const deliveryId = `${event.id}.${webhookId}`;
      const again = inBatch.get(deliveryId);
      if (again !== undefined) {
        verdicts.push(again === 'skipped' ? null : again);
        continue;
      }
      let verdict: Admission;
      const existing = await this.#recordIdOf(tenantId, webhookId, deliveryId);
      if (existing) {
        verdict = (await this.get(tenantId, webhookId, existing))?.status === 'pending' ? deliveryId : null;
      } else if (pending >= s.maxPending && (pending = (await this.#pendingCount(tenantId, webhookId, s, now)) + ops.length / 3) >= s.maxPending) {
        // (The exact count sees committed entries only: this batch's own admissions are added.)
        verdict = 'skipped';
        skipped++;
      } else {
        const rec: WebhookDeliveryRecord = {
          id: newId('whd'), webhook_id: webhookId, delivery_id: deliveryId, event, status: 'pending', attempts: 0,
          last_status_code: null, last_error_code: null, last_reason: null, redeliveries: 0, created_at: at, updated_at: at, delivered_at: null,
        };
        const key = `${webhookId}:${rec.id}`;
        ops.push(
          this.#ctx.vault.put(tables.webhookDeliveries, key, rec, { kind: 'tenant', keys }),
          { type: 'put', key: tables.webhookDeliveryIds.fullKey(`${webhookId}:${deliveryId}`), value: enc.encode(rec.id) },
          { type: 'put', key: tables.webhookPending.fullKey(key), value: EMPTY },
        );
        pending++;
        verdict = deliveryId;
      }
      inBatch.set(deliveryId, verdict);
      verdicts.push(verdict);
    }
    this.#pendingBound.set(boundKey, pending);
    if (skipped > 0) {
      await this.#hooks.updateLocked(tenantId, webhookId, (h) => ({ rec: { ...h, skipped_deliveries: h.skipped_deliveries + skipped }, extra: ops }));
    } else if (ops.length > 0) {
      await this.#ctx.writer.write(ops);
    }
    const admitted = ops.length / 3;
    const n = (this.#sincePrune.get(webhookId) ?? 0) + admitted;
    this.#sincePrune.set(webhookId, n);
    if (n >= 50) {
      this.#sincePrune.delete(webhookId);
      await this.#prune(tenantId, webhookId, s.historyLimit);
    }
    return verdicts;
  }

  /** Deletes the records beyond the newest `limit` (with their index and pending entries). */
  async #prune(tenantId: string, webhookId: string, limit: number): Promise<void> {
    const tables = this.#tables(tenantId);
    const ops: RawOp[] = [];
    let seen = 0;
    for await (const [key, bytes] of tables.webhookDeliveries.sub.iterator({ ...webhookRange(webhookId), reverse: true })) {
      if (++seen <= limit) continue;
      const rec = await this.#ctx.vault.decode(tables.webhookDeliveries.fullKey(key), bytes, tenantId, WebhookDeliveryRecordSchema);
      ops.push({ type: 'del', key: tables.webhookDeliveries.fullKey(key) }, { type: 'del', key: tables.webhookPending.fullKey(key) });
      if (rec) ops.push({ type: 'del', key: tables.webhookDeliveryIds.fullKey(`${webhookId}:${rec.delivery_id}`) });
    }
    if (ops.length > 0) await this.#ctx.writer.write(ops);
    this.#pendingBound.delete(webhookLockKey(tenantId, webhookId));
  }

  /**
   * Records one attempt's outcome on its delivery record and the subscription's failure streak;
   * disables the subscription once `disableAfterFailures` consecutive failures span at least
   * `disableAfterMs`. `gone` when the subscription no longer exists.
   */
  async recordResult(r: WebhookResult, s: WebhookDeliverySettings, now = Date.now()): Promise<ResultOutcome> {
    const { tenant_id: tenantId, webhook_id: webhookId } = r;
    if (!this.#ctx.layout.tenant(tenantId)) return { status: 'gone', disabledNow: null };
    return this.#ctx.locks.run(webhookLockKey(tenantId, webhookId), async () => {
      const tables = this.#tables(tenantId);
      const at = new Date(now).toISOString();
      const extra: RawOp[] = [];
      const recordId = await this.#recordIdOf(tenantId, webhookId, r.delivery_id);
      const rec = recordId ? await this.get(tenantId, webhookId, recordId) : null;
      if (rec && recordId) {
        const key = `${webhookId}:${recordId}`;
        const next: WebhookDeliveryRecord = {
          ...rec,
          attempts: Math.max(rec.attempts, r.attempt),
          last_status_code: r.status_code,
          last_error_code: r.error_code,
          last_reason: r.reason,
          updated_at: at,
          ...(r.outcome === 'delivered' ? { status: 'delivered' as const, delivered_at: at } : {}),
          ...(r.outcome === 'dead' ? { status: 'dead' as const } : {}),
        };
        extra.push(this.#ctx.vault.put(tables.webhookDeliveries, key, next, { kind: 'tenant', keys: await this.#keys(tenantId) }));
        if (r.outcome !== 'failed' && rec.status === 'pending') {
          extra.push({ type: 'del', key: tables.webhookPending.fullKey(key) });
          this.#adjustBound(tenantId, webhookId, -1);
        }
      }
      let disabledNow: WebhookRecord | null = null;
      // A delivery refused because the subscription is disabled is not a new failure of the receiver.
      const counts = r.error_code !== 'WEBHOOK_DISABLED';
      const hook = await this.#hooks.updateLocked(tenantId, webhookId, (h) => {
        if (r.outcome === 'delivered') {
          return { rec: { ...h, consecutive_failures: 0, failing_since: null, last_success_at: at }, extra };
        }
        if (!counts) return { rec: h, extra };
        const failures = h.consecutive_failures + 1;
        const since = h.failing_since ?? at;
        const sustained = failures >= s.disableAfterFailures && now - Date.parse(since) >= s.disableAfterMs;
        if (h.status === 'active' && sustained) {
          disabledNow = { ...h, status: 'disabled', disabled_reason: 'consecutive_failures', disabled_at: at, consecutive_failures: failures, failing_since: since };
          return { rec: disabledNow, extra };
        }
        return { rec: { ...h, consecutive_failures: failures, failing_since: since }, extra };
      });
      if (!hook) {
        this.#pendingBound.delete(webhookLockKey(tenantId, webhookId));
        if (extra.length > 0) await this.#ctx.writer.write(extra);
        return { status: 'gone', disabledNow: null };
      }
      return { status: hook.status, disabledNow };
    });
  }

  /** A subscription's deliveries, newest first; `status` filters (e.g. `dead` for dead letters). */
  async list(
    tenantId: string,
    webhookId: string,
    query: { status?: WebhookDeliveryRecord['status'] | undefined; cursor?: string | undefined; limit?: number | undefined } = {},
  ): Promise<DeliveryPage> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return { items: [], next_cursor: null };
    const limit = Math.min(MAX_PAGE, Math.max(1, query.limit ?? 50));
    const range = webhookRange(webhookId);
    const upper = query.cursor && RECORD_ID_RE.test(query.cursor) ? `${webhookId}:${query.cursor}` : range.lt;
    const items: WebhookDeliveryRecord[] = [];
    let next: string | null = null;
    for await (const [key, bytes] of tables.webhookDeliveries.sub.iterator({ gt: range.gt, lt: upper, reverse: true })) {
      const rec = await this.#ctx.vault.decode(tables.webhookDeliveries.fullKey(key), bytes, tenantId, WebhookDeliveryRecordSchema);
      if (!rec || (query.status && rec.status !== query.status)) continue;
      if (items.length === limit) {
        next = items.at(-1)?.id ?? null;
        break;
      }
      items.push(rec);
    }
    return { items, next_cursor: next };
  }

  /**
   * Puts a dead delivery back to pending for another round of attempts and returns it (with its
   * event) for the caller to publish. NOT_FOUND: no such delivery; CONFLICT: it is not dead;
   * WEBHOOK_DISABLED: re-enable the subscription first.
   */
  async prepareRedelivery(tenantId: string, webhookId: string, recordId: string): Promise<WebhookDeliveryRecord> {
    return this.#ctx.locks.run(webhookLockKey(tenantId, webhookId), async () => {
      const hook = await this.#hooks.get(tenantId, webhookId);
      const rec = hook ? await this.get(tenantId, webhookId, recordId) : null;
      if (!hook || !rec) throw new WardClerkError('NOT_FOUND', 'No such delivery');
      if (hook.status !== 'active') throw new WardClerkError('WEBHOOK_DISABLED', 'The webhook is disabled; re-enable it before redelivering');
      if (rec.status !== 'dead') throw new WardClerkError('CONFLICT', 'Only a dead-lettered delivery can be redelivered', { details: { status: rec.status } });
      const tables = this.#tables(tenantId);
      const key = `${webhookId}:${recordId}`;
      const next: WebhookDeliveryRecord = { ...rec, status: 'pending', attempts: 0, redeliveries: rec.redeliveries + 1, updated_at: new Date().toISOString() };
      await this.#ctx.writer.write([
        this.#ctx.vault.put(tables.webhookDeliveries, key, next, { kind: 'tenant', keys: await this.#keys(tenantId) }),
        { type: 'put', key: tables.webhookPending.fullKey(key), value: EMPTY },
      ]);
      this.#adjustBound(tenantId, webhookId, 1);
      return next;
    });
  }

  /** Undoes {@link prepareRedelivery} when the redelivery could not be queued: dead again, no pending place. */
  async revertRedelivery(tenantId: string, webhookId: string, recordId: string): Promise<void> {
    await this.#ctx.locks.run(webhookLockKey(tenantId, webhookId), async () => {
      const rec = await this.get(tenantId, webhookId, recordId);
      if (!rec || rec.status !== 'pending') return;
      const tables = this.#tables(tenantId);
      const key = `${webhookId}:${recordId}`;
      await this.#ctx.writer.write([
        this.#ctx.vault.put(tables.webhookDeliveries, key, { ...rec, status: 'dead' }, { kind: 'tenant', keys: await this.#keys(tenantId) }),
        { type: 'del', key: tables.webhookPending.fullKey(key) },
      ]);
      this.#adjustBound(tenantId, webhookId, -1);
    });
  }

  /** Moves a known pending bound (callers hold the subscription's lock); an unknown one is counted when next needed. */
  #adjustBound(tenantId: string, webhookId: string, by: number): void {
    const key = webhookLockKey(tenantId, webhookId);
    const n = this.#pendingBound.get(key);
    if (n !== undefined) this.#pendingBound.set(key, Math.max(0, n + by));
  }
}
