import { describe, expect, it, onTestFinished } from 'vitest';
import type { WardEvent } from '../../core/contracts.js';
import { tempStore } from './testing/temp-store.js';
import type { WebhookDeliverySettings } from './webhook-deliveries-repo.js';

const S: WebhookDeliverySettings = { maxPending: 3, pendingStaleMs: 3_600_000, disableAfterFailures: 4, disableAfterMs: 0, historyLimit: 1000 };
const event = (id: string, type: WardEvent['type'] = 'job.completed', tenant = 't'): WardEvent => ({
  id, type, tenant_id: tenant, created_at: new Date().toISOString(), data: { job_id: `job-${id}` },
});

async function setup() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  const a = (await t.store.tenants.create({ name: 'A' })).id;
  const b = (await t.store.tenants.create({ name: 'B' })).id;
  const hook = await t.store.webhooks.create(a, { url: 'https://a.example/hook', events: ['job.completed'], secret: 'secret-secret-16' });
  return { t, a, b, hook, d: t.store.webhookDeliveries };
}

const result = (tenant: string, webhook: string, delivery: string, outcome: 'delivered' | 'failed' | 'dead', attempt = 1, status: number | null = 500) => ({
  tenant_id: tenant, webhook_id: webhook, delivery_id: delivery, attempt, outcome,
  status_code: outcome === 'delivered' ? 200 : status, error_code: outcome === 'delivered' ? null : 'PROVIDER_ERROR', reason: outcome === 'delivered' ? null : 'http_500',
});

describe('store.webhookDeliveries', () => {
  it('admits an event once per matching subscription, idempotently, and only for its types', async () => {
    const { a, hook, d, t } = await setup();
    const other = await t.store.webhooks.create(a, { url: 'https://a.example/rx', events: ['prescription.extracted'], secret: 'secret-secret-16' });
    expect(await d.admit(a, event('e1'), S)).toEqual({ deliveries: [{ webhook_id: hook.id, delivery_id: `e1.${hook.id}` }], skipped: 0 });
    expect(await d.admit(a, event('e1'), S)).toEqual({ deliveries: [{ webhook_id: hook.id, delivery_id: `e1.${hook.id}` }], skipped: 0 });
    expect((await d.list(a, hook.id)).items).toHaveLength(1);
    expect((await d.list(a, other.id)).items).toHaveLength(0);
    await d.recordResult(result(a, hook.id, `e1.${hook.id}`, 'delivered'), S);
    // Finished: a re-admitted event (a fan-out redelivered late) is not delivered again.
    expect((await d.admit(a, event('e1'), S)).deliveries).toEqual([]);
  });

  it('bounds pending deliveries per subscription: beyond the cap events are counted as skipped', async () => {
    const { a, hook, d, t } = await setup();
    for (let i = 0; i < 10; i++) await d.admit(a, event(`p${i}`), S);
    const page = await d.list(a, hook.id);
    expect(page.items.map((r) => r.delivery_id)).toEqual([`p2.${hook.id}`, `p1.${hook.id}`, `p0.${hook.id}`]);
    expect((await t.store.webhooks.get(a, hook.id))?.skipped_deliveries).toBe(7);
    // A finished delivery frees its place.
    await d.recordResult(result(a, hook.id, `p0.${hook.id}`, 'dead', 6), S);
    expect((await d.admit(a, event('p10'), S)).deliveries).toHaveLength(1);
    expect((await d.admit(a, event('p11'), S)).skipped).toBe(1);
    // A failed attempt that will be retried keeps its place.
    await d.recordResult(result(a, hook.id, `p1.${hook.id}`, 'failed', 1), S);
    expect((await d.admit(a, event('p12'), S)).skipped).toBe(1);
    // Entries older than pendingStaleMs (their delivery ran out unreported) stop counting.
    expect((await d.admit(a, event('p13'), { ...S, pendingStaleMs: -1 })).deliveries).toHaveLength(1);
  });

  it('keeps the cap exact under concurrent admissions, committing them together', async () => {
    const { a, hook, d, t } = await setup();
    const before = t.store.stats();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => d.admit(a, event(`c${i}`), { ...S, maxPending: 5 })));
    expect(results.reduce((n, r) => n + r.deliveries.length, 0)).toBe(5);
    expect(results.reduce((n, r) => n + r.skipped, 0)).toBe(15);
    expect((await t.store.webhooks.get(a, hook.id))?.skipped_deliveries).toBe(15);
    expect((await d.list(a, hook.id, { status: 'pending' })).items).toHaveLength(5);
    // 20 admissions for one subscription did not take 20 synced writes.
    expect(t.store.stats().batches - before.batches).toBeLessThan(10);
  });

  it('records attempts and codes, and disables after sustained consecutive failures', async () => {
    const { a, hook, d, t } = await setup();
    await d.admit(a, event('f1'), S);
    const id = `f1.${hook.id}`;
    const t0 = Date.now();
    const slow = { ...S, disableAfterMs: 60_000 };
    for (let i = 1; i <= 5; i++) expect(await d.recordResult(result(a, hook.id, id, 'failed', i, 503), slow, t0 + i)).toEqual({ status: 'active', disabledNow: null });
    // Five failures, but within a minute: not yet sustained.
    expect((await t.store.webhooks.get(a, hook.id))).toMatchObject({ status: 'active', consecutive_failures: 5 });
    const out = await d.recordResult(result(a, hook.id, id, 'dead', 6, 503), slow, t0 + 61_000);
    expect(out.status).toBe('disabled');
    expect(out.disabledNow).toMatchObject({ id: hook.id, status: 'disabled', disabled_reason: 'consecutive_failures', consecutive_failures: 6 });
    const [rec] = (await d.list(a, hook.id)).items;
    expect(rec).toMatchObject({ status: 'dead', attempts: 6, last_status_code: 503, last_error_code: 'PROVIDER_ERROR', last_reason: 'http_500' });
    // Disabled: no new deliveries, and a second disabling result does not announce again.
    expect(await d.admit(a, event('f2'), S)).toEqual({ deliveries: [], skipped: 0 });
    expect((await d.recordResult(result(a, hook.id, id, 'dead', 7), slow, t0 + 62_000)).disabledNow).toBeNull();
  });

  it('a success resets the streak', async () => {
    const { a, hook, d, t } = await setup();
    await d.admit(a, event('s1'), S);
    await d.admit(a, event('s2'), S);
    for (let i = 1; i <= 3; i++) await d.recordResult(result(a, hook.id, `s1.${hook.id}`, 'failed', i), S);
    await d.recordResult(result(a, hook.id, `s2.${hook.id}`, 'delivered'), S);
    expect(await t.store.webhooks.get(a, hook.id)).toMatchObject({ status: 'active', consecutive_failures: 0, failing_since: null });
    const delivered = (await d.list(a, hook.id, { status: 'delivered' })).items;
    expect(delivered.map((r) => r.delivery_id)).toEqual([`s2.${hook.id}`]);
    expect(delivered[0]?.delivered_at).not.toBeNull();
  });

  it('pages newest first, filters dead letters, and redelivers only a dead delivery of an active subscription', async () => {
    const { a, b, hook, d, t } = await setup();
    const big = { ...S, maxPending: 100 };
    for (let i = 0; i < 7; i++) await d.admit(a, event(`q${i}`), big);
    for (const i of [1, 4]) await d.recordResult(result(a, hook.id, `q${i}.${hook.id}`, 'dead', 6), big);
    const p1 = await d.list(a, hook.id, { limit: 3 });
    expect(p1.items.map((r) => r.delivery_id)).toEqual(['q6', 'q5', 'q4'].map((q) => `${q}.${hook.id}`));
    const p2 = await d.list(a, hook.id, { limit: 3, cursor: p1.next_cursor ?? undefined });
    expect(p2.items.map((r) => r.delivery_id)).toEqual(['q3', 'q2', 'q1'].map((q) => `${q}.${hook.id}`));
    const p3 = await d.list(a, hook.id, { limit: 3, cursor: p2.next_cursor ?? undefined });
    expect(p3).toEqual({ items: [expect.objectContaining({ delivery_id: `q0.${hook.id}` })], next_cursor: null });
    const dead = (await d.list(a, hook.id, { status: 'dead' })).items;
    expect(dead.map((r) => r.delivery_id)).toEqual([`q4.${hook.id}`, `q1.${hook.id}`]);

    // Another tenant sees nothing and cannot redeliver.
    expect((await d.list(b, hook.id)).items).toEqual([]);
    await expect(d.prepareRedelivery(b, hook.id, dead[0]!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const pending = (await d.list(a, hook.id, { status: 'pending' })).items[0]!;
    await expect(d.prepareRedelivery(a, hook.id, pending.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await t.store.webhooks.setStatus(a, hook.id, 'disabled');
    await expect(d.prepareRedelivery(a, hook.id, dead[0]!.id)).rejects.toMatchObject({ code: 'WEBHOOK_DISABLED' });
    await t.store.webhooks.setStatus(a, hook.id, 'active');
    const again = await d.prepareRedelivery(a, hook.id, dead[0]!.id);
    expect(again).toMatchObject({ status: 'pending', attempts: 0, redeliveries: 1, event: { id: 'q4' } });
    await expect(d.prepareRedelivery(a, hook.id, dead[0]!.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('deleting a subscription deletes its delivery log; results for it answer gone', async () => {
    const { a, hook, d, t } = await setup();
    await d.admit(a, event('g1'), S);
    await t.store.webhooks.delete(a, hook.id);
    expect((await d.list(a, hook.id)).items).toEqual([]);
    expect(await d.recordResult(result(a, hook.id, `g1.${hook.id}`, 'delivered'), S)).toEqual({ status: 'gone', disabledNow: null });
  });

  it('keeps at most historyLimit records per subscription', async () => {
    const { a, hook, d } = await setup();
    const s = { ...S, maxPending: 1000, historyLimit: 10 };
    for (let i = 0; i < 50; i++) await d.admit(a, event(`h${i}`), s);
    const page = await d.list(a, hook.id, { limit: 100 });
    expect(page.items).toHaveLength(10);
    expect(page.items[0]?.delivery_id).toBe(`h49.${hook.id}`);
  });
});
