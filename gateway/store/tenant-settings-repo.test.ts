import { z } from 'zod';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempStore } from './testing/temp-store.js';

const People = z.object({ signup: z.enum(['open', 'invitation']) });

describe('store.settings', () => {
  it('reads the fallback until a document is stored, per tenant, durably; a stale shape reads as the fallback', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const b = (await t.store.tenants.create({ name: 'B' })).id;
    const fallback = { signup: 'invitation' as const };
    expect(await t.store.settings.get(a, 'people', People, fallback)).toEqual(fallback);
    await t.store.settings.put(a, 'people', { signup: 'open' });
    await t.store.settings.put(a, 'schedule', { nag_minutes: 15 });
    const s = await t.reopen();
    expect(await s.settings.get(a, 'people', People, fallback)).toEqual({ signup: 'open' });
    expect(await s.settings.get(b, 'people', People, fallback)).toEqual(fallback);
    expect(await s.settings.get(a, 'schedule', People, fallback)).toEqual(fallback);
    await expect(s.settings.get('tn_00000000000000000000000000', 'people', People, fallback)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(s.settings.put(a, '../people', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
