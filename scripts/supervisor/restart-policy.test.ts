import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RestartPolicy } from './restart-policy.js';

const options = { initialDelayMs: 100, maxDelayMs: 1_000, fastCrashMs: 5_000, maxFastCrashes: 3 };

describe('RestartPolicy', () => {
  it('backs off exponentially on fast crashes and gives up after maxFastCrashes', () => {
    const policy = new RestartPolicy(options);
    expect(policy.onCrash(10)).toEqual({ restart: true, delayMs: 100 });
    expect(policy.onCrash(10)).toEqual({ restart: true, delayMs: 200 });
    expect(policy.onCrash(10)).toEqual({ restart: true, delayMs: 400 });
    expect(policy.onCrash(10)).toEqual({ restart: false, fastCrashes: 4 });
  });

  it('a long run resets the count', () => {
    const policy = new RestartPolicy(options);
    policy.onCrash(10);
    policy.onCrash(10);
    policy.onCrash(10);
    expect(policy.onCrash(60_000)).toEqual({ restart: true, delayMs: 100 });
  });

  it('never waits longer than maxDelayMs and never restarts more than maxFastCrashes times in a row', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10_000), { maxLength: 50 }), (uptimes) => {
        const policy = new RestartPolicy(options);
        let streak = 0;
        for (const uptime of uptimes) {
          streak = uptime >= options.fastCrashMs ? 1 : streak + 1;
          const d = policy.onCrash(uptime);
          if (d.restart) {
            expect(d.delayMs).toBeLessThanOrEqual(options.maxDelayMs);
            expect(streak).toBeLessThanOrEqual(options.maxFastCrashes);
          } else {
            expect(streak).toBeGreaterThan(options.maxFastCrashes);
            return;
          }
        }
      }),
    );
  });
});
