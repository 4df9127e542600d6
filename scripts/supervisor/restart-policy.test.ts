import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RestartPolicy } from './restart-policy.js';

const options = { initialDelayMs: 100, maxDelayMs: 1_000, fastCrashMs: 5_000, crashLoopAfter: 3 };

describe('RestartPolicy', () => {
  it('backs off exponentially on fast crashes, caps the delay and reports a crash loop, never giving up', () => {
    const policy = new RestartPolicy(options);
    expect(policy.onCrash(10)).toEqual({ delayMs: 100, fastCrashes: 1, crashLooping: false });
    expect(policy.onCrash(10)).toEqual({ delayMs: 200, fastCrashes: 2, crashLooping: false });
    expect(policy.onCrash(10)).toEqual({ delayMs: 400, fastCrashes: 3, crashLooping: false });
    expect(policy.onCrash(10)).toEqual({ delayMs: 800, fastCrashes: 4, crashLooping: true });
    for (let i = 0; i < 2_000; i++) expect(policy.onCrash(10).delayMs).toBe(1_000);
  });

  it('a long run resets the count and the crash-loop state', () => {
    const policy = new RestartPolicy(options);
    for (let i = 0; i < 6; i++) policy.onCrash(10);
    expect(policy.onCrash(60_000)).toEqual({ delayMs: 100, fastCrashes: 1, crashLooping: false });
  });

  it('always restarts, within maxDelayMs, and calls it a crash loop exactly when the fast streak passes the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10_000), { maxLength: 200 }), (uptimes) => {
        const policy = new RestartPolicy(options);
        let streak = 0;
        for (const uptime of uptimes) {
          streak = uptime >= options.fastCrashMs ? 1 : streak + 1;
          const d = policy.onCrash(uptime);
          expect(d.delayMs).toBeGreaterThanOrEqual(options.initialDelayMs);
          expect(d.delayMs).toBeLessThanOrEqual(options.maxDelayMs);
          expect(d.fastCrashes).toBe(streak);
          expect(d.crashLooping).toBe(streak > options.crashLoopAfter);
        }
      }),
    );
  });
});
