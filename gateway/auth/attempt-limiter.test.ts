import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { createAttemptLimiter } from './attempt-limiter.js';

function limited(fn: () => void): WardClerkError | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof WardClerkError) return e;
    throw e;
  }
}

describe('attempt limiter', () => {
  it('refuses after maxFailures inside the window, with a Retry-After, then recovers', () => {
    let t = 1_000_000;
    const l = createAttemptLimiter({ maxFailures: 3, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 3; i++) {
      expect(limited(() => l.check('a'))).toBeNull();
      l.recordFailure('a');
      t += 1000;
    }
    const e = limited(() => l.check('a'));
    expect(e?.code).toBe('RATE_LIMITED');
    expect(e?.status).toBe(429);
    expect(e?.retryAfter).toBe(57);
    expect(limited(() => l.check('b'))).toBeNull(); // per key
    t += 57_000; // the first failure ages out
    expect(limited(() => l.check('a'))).toBeNull();
  });

  it('defaults to 10 failures a minute and forgets a key on reset', () => {
    const t = 0;
    const l = createAttemptLimiter({ now: () => t });
    for (let i = 0; i < 9; i++) l.recordFailure('k');
    expect(limited(() => l.check('k'))).toBeNull();
    l.recordFailure('k');
    expect(limited(() => l.check('k'))?.code).toBe('RATE_LIMITED');
    l.reset('k');
    expect(limited(() => l.check('k'))).toBeNull();
  });

  it('bounds memory by dropping the oldest keys', () => {
    const l = createAttemptLimiter({ maxFailures: 1, maxKeys: 2, now: () => 0 });
    l.recordFailure('a');
    l.recordFailure('b');
    l.recordFailure('c');
    expect(limited(() => l.check('a'))).toBeNull();
    expect(limited(() => l.check('c'))?.code).toBe('RATE_LIMITED');
  });
});
