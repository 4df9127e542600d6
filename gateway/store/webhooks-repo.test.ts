import { describe, expect, it, onTestFinished } from 'vitest';
import { tempStore } from './testing/temp-store.js';

describe('store.webhooks', () => {
  it('creates, lists, gets and deletes per tenant, keeping the secret for signing', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const b = (await t.store.tenants.create({ name: 'B' })).id;
    const h1 = await t.store.webhooks.create(a, { url: 'https://a.example/hook', events: ['job.completed'], secret: 's3cret-a' });
    const h2 = await t.store.webhooks.create(a, { url: 'https://a.example/2', events: ['job.completed', 'prescription.extracted'], secret: 's2' });
    expect(h1.id).toMatch(/^wh_/);
    expect(h1).toMatchObject({ status: 'active', consecutive_failures: 0, skipped_deliveries: 0 });
    const s = await t.reopen();
    expect(await s.webhooks.list(a)).toEqual([h1, h2]);
    expect(await s.webhooks.get(a, h1.id)).toEqual(h1);
    expect(await s.webhooks.get(b, h1.id)).toBeNull();
    expect(await s.webhooks.list(b)).toEqual([]);
    expect(await s.webhooks.delete(b, h1.id)).toBe(false);
    expect(await s.webhooks.delete(a, h1.id)).toBe(true);
    expect(await s.webhooks.delete(a, h1.id)).toBe(false);
    expect(await s.webhooks.list(a)).toEqual([h2]);
    await expect(s.webhooks.create('tn_00000000000000000000000000', { url: 'https://x', events: ['job.completed'], secret: 'x' }))
      .rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('caps subscriptions per tenant, also under concurrent creates, and frees a place on delete', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const b = (await t.store.tenants.create({ name: 'B' })).id;
    const input = { url: 'https://a.example/hook', events: ['job.completed' as const], secret: 'secret-secret-16' };
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => t.store.webhooks.create(a, input, { maxPerTenant: 3 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'WEBHOOK_LIMIT_REACHED', status: 409, details: { limit: 3 } });
    expect(await t.store.webhooks.list(a)).toHaveLength(3);
    // Another tenant has its own allowance.
    await expect(t.store.webhooks.create(b, input, { maxPerTenant: 3 })).resolves.toMatchObject({ status: 'active' });
    const first = (await t.store.webhooks.list(a))[0]!;
    await t.store.webhooks.delete(a, first.id);
    await expect(t.store.webhooks.create(a, input, { maxPerTenant: 3 })).resolves.toBeTruthy();
  });

  it('disables and re-enables a subscription durably; re-enabling clears the failure streak', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const h = await t.store.webhooks.create(a, { url: 'https://a.example/hook', events: ['job.completed'], secret: 'secret-secret-16' });
    await t.store.webhooks.update(a, h.id, (r) => ({ rec: { ...r, consecutive_failures: 7, failing_since: new Date().toISOString() } }));
    const off = await t.store.webhooks.setStatus(a, h.id, 'disabled', 'manual');
    expect(off).toMatchObject({ status: 'disabled', disabled_reason: 'manual', consecutive_failures: 7 });
    const s = await t.reopen();
    expect(await s.webhooks.get(a, h.id)).toMatchObject({ status: 'disabled' });
    expect(await s.webhooks.setStatus(a, h.id, 'active')).toMatchObject({ status: 'active', disabled_reason: null, consecutive_failures: 0, failing_since: null });
    expect(await s.webhooks.setStatus(a, 'wh_00000000000000000000000000', 'active')).toBeNull();
  });
});
