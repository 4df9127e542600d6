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
});
