import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WardClerkError } from '../../core/errors.js';
import { createAttemptLimiter, ipKey, type Attempt, type LockoutEvent } from './attempt-limiter.js';
import { createLimiterSaver, loadLimiterState } from './attempt-limiter-file.js';

function limited(fn: () => void): WardClerkError | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e as WardClerkError;
  }
}

const attacker: Attempt = { kind: 'login', identity: 'admin', ip: '203.0.113.7' };
const owner: Attempt = { kind: 'login', identity: 'admin', ip: '198.51.100.20' };

describe('attempt limiter', () => {
  it('blocks an IP progressively (doubling, capped at 15 min) after the free failures, with Retry-After', () => {
    let t = 0;
    const l = createAttemptLimiter({ maxFailures: 3, now: () => t });
    for (let i = 0; i < 3; i++) {
      expect(limited(() => l.check(attacker))).toBeNull();
      l.recordFailure(attacker); // the 3rd blocks for 1 s
    }
    const e = limited(() => l.check(attacker));
    expect(e?.code).toBe('RATE_LIMITED');
    expect(e?.status).toBe(429);
    expect(e?.retryAfter).toBe(1);
    const waits: number[] = [];
    let wait = 1;
    for (let i = 0; i < 14; i++) {
      t += wait * 1000; // just past the current block
      l.recordFailure({ ...attacker, identity: `guess-${i}` }); // new accounts: only the IP accumulates
      wait = limited(() => l.check({ ...attacker, identity: 'someone-else' }))?.retryAfter ?? 0;
      waits.push(wait);
    }
    expect(waits.slice(0, 4)).toEqual([2, 4, 8, 16]);
    expect(Math.max(...waits)).toBe(15 * 60);
  });

  it('the right password from another IP succeeds after a short wait, while the attacking IP stays blocked', () => {
    let t = 0;
    const events: LockoutEvent[] = [];
    const l = createAttemptLimiter({ maxFailures: 5, now: () => t, onLockout: (e) => events.push(e) });
    for (let i = 0; i < 200; i++) {
      if (limited(() => l.check(attacker)) === null) l.recordFailure(attacker);
      t += 1000;
    }
    // The account's own block is short: at most 30 s.
    const ownerWait = limited(() => l.check(owner))?.retryAfter ?? 0;
    expect(ownerWait).toBeLessThanOrEqual(30);
    t += ownerWait * 1000;
    expect(limited(() => l.check(owner))).toBeNull();
    l.recordSuccess(owner);
    expect(limited(() => l.check(attacker))?.code).toBe('RATE_LIMITED');
    expect(events.some((e) => e.scope === 'ip')).toBe(true);
    expect(events.some((e) => e.scope === 'account')).toBe(true);
    // Events carry digests, never the identity or the address.
    expect(JSON.stringify(events)).not.toMatch(/admin|203\.0\.113/);
  });

  it('an account forgets failures over time, and a success clears them', () => {
    let t = 0;
    const l = createAttemptLimiter({ maxFailures: 2, now: () => t });
    const from = (n: number): Attempt => ({ kind: 'client', identity: 'cl_x', ip: `10.0.0.${n}` });
    l.recordFailure(from(1));
    l.recordFailure(from(2)); // 2nd failure on the account from two IPs: account blocked 1 s
    expect(limited(() => l.check(from(3)))?.retryAfter).toBe(1);
    l.recordFailure(from(3)); // blocked 2 s
    expect(limited(() => l.check(from(4)))?.code).toBe('RATE_LIMITED');
    t += 5 * 60_000;
    expect(limited(() => l.check(from(4)))).toBeNull();
    l.recordFailure(from(4)); // decayed to 0 meanwhile: free again
    expect(limited(() => l.check(from(5)))).toBeNull();
    l.recordSuccess(from(5));
    expect(l.entries().length).toBe(4); // the four IPs; the account was cleared
  });

  it('keeps at most maxKeys entries', () => {
    const l = createAttemptLimiter({ maxFailures: 1, maxKeys: 10 });
    for (let i = 0; i < 100; i++) l.recordFailure({ kind: 'login', identity: `u${i}`, ip: '10.0.0.1' });
    expect(l.entries().length).toBeLessThanOrEqual(10);
  });

  it('throttles IPv6 clients by /64 and IPv4-mapped addresses as IPv4', () => {
    expect(ipKey('2001:db8:1:2:aaaa::1')).toBe(ipKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(ipKey('2001:db8:1:2::1')).not.toBe(ipKey('2001:db8:1:3::1'));
    expect(ipKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('survives a restart through its state file (0600, digests only)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wc-limiter-'));
    try {
      const file = join(dir, 'auth-throttle.json');
      let t = 1_000_000;
      const a = createAttemptLimiter({ maxFailures: 1, now: () => t });
      for (let i = 0; i < 6; i++) a.recordFailure(attacker);
      const saver = createLimiterSaver(file, a, (e) => {
        throw e;
      });
      saver.schedule();
      await saver.flush();
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const b = createAttemptLimiter({ maxFailures: 1, now: () => t });
      expect(await loadLimiterState(file, b)).toBeGreaterThan(0);
      expect(limited(() => b.check(attacker))?.code).toBe('RATE_LIMITED');
      t += 1000;
      expect(limited(() => b.check(owner))?.code).toBe('RATE_LIMITED'); // the account block too
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts empty from a missing or damaged state file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wc-limiter-'));
    try {
      const l = createAttemptLimiter();
      expect(await loadLimiterState(join(dir, 'none.json'), l)).toBe(0);
      const bad = join(dir, 'bad.json');
      await (await import('node:fs/promises')).writeFile(bad, '{"version":1,"entries":[["zz",{}]]}');
      expect(await loadLimiterState(bad, l)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
