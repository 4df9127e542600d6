import { describe, expect, it } from 'vitest';
import { SessionKeys } from './session-keys.js';

const key = (b: number) => new Uint8Array(32).fill(b);

describe('SessionKeys', () => {
  it('holds a key until its session expires, then forgets and zeroes it', () => {
    let now = 1_000;
    const keys = new SessionKeys({ now: () => now });
    const k = key(7);
    keys.put('ses_1', 'usr_a', k, 2_000);
    expect(keys.get('ses_1')).toEqual({ userId: 'usr_a', privateKey: key(7) });
    expect(keys.extend('ses_1', 3_000)).toBe(true);
    now = 2_500;
    expect(keys.get('ses_1')?.userId).toBe('usr_a');
    now = 3_000;
    expect(keys.get('ses_1')).toBeNull();
    expect(k.every((b) => b === 0)).toBe(true);
    expect(keys.extend('ses_1', 9_000)).toBe(false);
  });

  it('drops one session, or all of a user but one, zeroing what it drops', () => {
    const keys = new SessionKeys({ now: () => 0 });
    const [a1, a2, a3, b1] = [key(1), key(2), key(3), key(4)];
    keys.put('s1', 'usr_a', a1, 10);
    keys.put('s2', 'usr_a', a2, 10);
    keys.put('s3', 'usr_a', a3, 10);
    keys.put('s4', 'usr_b', b1, 10);
    expect(keys.drop('s1')).toBe(true);
    expect(keys.drop('s1')).toBe(false);
    expect(a1.every((b) => b === 0)).toBe(true);
    expect(keys.dropUser('usr_a', 's3')).toBe(1);
    expect(a2.every((b) => b === 0)).toBe(true);
    expect(keys.get('s3')?.privateKey).toEqual(key(3));
    expect(keys.get('s4')?.userId).toBe('usr_b');
    keys.clear();
    expect(keys.size).toBe(0);
    expect(a3.every((b) => b === 0) && b1.every((b) => b === 0)).toBe(true);
  });

  it('is bounded: past the limit the least recently used key goes (zeroed)', () => {
    const keys = new SessionKeys({ maxEntries: 2, now: () => 0 });
    const first = key(1);
    keys.put('s1', 'u', first, 10);
    keys.put('s2', 'u', key(2), 10);
    keys.get('s1'); // s2 is now the least recently used
    keys.put('s3', 'u', key(3), 10);
    expect(keys.size).toBe(2);
    expect(keys.get('s2')).toBeNull();
    expect(keys.get('s1')?.privateKey).toEqual(key(1));
    // Putting a session again replaces (and zeroes) its old key.
    keys.put('s1', 'u', key(9), 10);
    expect(first.every((b) => b === 0)).toBe(true);
  });
});
