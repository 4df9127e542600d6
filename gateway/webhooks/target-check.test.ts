import { describe, expect, it } from 'vitest';
import { EMPTY_ALLOW_LIST, parseAllowList } from '../../core/net/target-policy.js';
import type { ResolveAll } from '../../core/net/resolve-target.js';
import { assertTargetAllowed } from './target-check.js';

const answers = (address: string): ResolveAll => async () => [{ address, family: address.includes(':') ? 6 : 4 }];

describe('assertTargetAllowed', () => {
  it('refuses forbidden literals, names and schemes with WEBHOOK_TARGET_FORBIDDEN, without echoing the URL', async () => {
    for (const url of ['http://127.0.0.1/', 'http://0x7f.1/', 'http://localhost/', 'http://169.254.169.254/', 'https://u:p@hooks.example.org/']) {
      const err = await assertTargetAllowed(EMPTY_ALLOW_LIST, url, answers('93.184.216.34')).then(() => null, (e: unknown) => e);
      expect(err, url).toMatchObject({ code: 'WEBHOOK_TARGET_FORBIDDEN', status: 422 });
      expect((err as Error).message).not.toContain(url);
    }
    await expect(assertTargetAllowed(EMPTY_ALLOW_LIST, 'https://hooks.example.org/', answers('10.1.2.3')))
      .rejects.toMatchObject({ code: 'WEBHOOK_TARGET_FORBIDDEN', details: { reason: 'forbidden_address', address_class: 'private' } });
  });

  it('accepts public and allow-listed targets, and names that do not resolve yet', async () => {
    await expect(assertTargetAllowed(EMPTY_ALLOW_LIST, 'https://hooks.example.org/', answers('93.184.216.34'))).resolves.toBeUndefined();
    await expect(assertTargetAllowed(parseAllowList(['10.0.0.0/8']), 'https://hooks.example.org/', answers('10.1.2.3'))).resolves.toBeUndefined();
    await expect(assertTargetAllowed(EMPTY_ALLOW_LIST, 'https://gone.example/', async () => { throw new Error('ENOTFOUND'); })).resolves.toBeUndefined();
  });

  it('keeps at most two lookups in flight; beyond that the name is left to the delivery-time check', async () => {
    const release: Array<() => void> = [];
    const slow: ResolveAll = () => new Promise((r) => release.push(() => r([{ address: '93.184.216.34', family: 4 }])));
    const first = assertTargetAllowed(EMPTY_ALLOW_LIST, 'https://a.example/', slow);
    const second = assertTargetAllowed(EMPTY_ALLOW_LIST, 'https://b.example/', slow);
    let asked = false;
    await assertTargetAllowed(EMPTY_ALLOW_LIST, 'https://c.example/', async () => { asked = true; return [{ address: '127.0.0.1', family: 4 }]; });
    expect(asked).toBe(false);
    for (const r of release) r();
    await Promise.all([first, second]);
  });
});
