import { describe, expect, it } from 'vitest';
import { KeyedLock } from './keyed-lock.js';

describe('KeyedLock', () => {
  it('serialises read-modify-write per key and forgets idle keys', async () => {
    const lock = new KeyedLock();
    let counter = 0;
    const inc = () => lock.run('job', async () => {
      const seen = counter;
      await new Promise<void>((r) => setImmediate(r));
      counter = seen + 1;
    });
    await Promise.all(Array.from({ length: 25 }, inc));
    expect(counter).toBe(25);
    expect(lock.size).toBe(0);
  });

  it('a failing holder does not block the next and other keys run independently', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const a = lock.run('a', async () => { order.push('a1'); throw new Error('boom'); });
    const a2 = lock.run('a', async () => { order.push('a2'); return 2; });
    const b = lock.run('b', async () => { order.push('b1'); return 1; });
    await expect(a).rejects.toThrow('boom');
    expect(await a2).toBe(2);
    expect(await b).toBe(1);
    expect(order.indexOf('a1')).toBeLessThan(order.indexOf('a2'));
  });
});
