/**
 * The periodic sweep of ended sign-in sessions: every tenant's sessions past their absolute end
 * (revoked or not) are deleted with their refresh-token digests, so the store does not grow with
 * every sign-in forever. Runs in the gateway (the store's owner) on an unref'd interval; `runOnce`
 * is the same pass, called directly by tests with an injected clock.
 */
import type { Logger } from '../../core/logger.js';
import { startPeriodicPass } from '../periodic-pass.js';
import type { SessionsRepo } from '../store/sessions-repo.js';
import type { TenantsRepo } from '../store/tenants-repo.js';

/** Default time between sweeps: an hour (a swept session was unusable already; this only frees space). */
export const SESSION_SWEEP_INTERVAL_MS = 3_600_000;

export interface SessionSweepDeps {
  store: { tenants: Pick<TenantsRepo, 'list'>; sessions: Pick<SessionsRepo, 'sweepExpired'> };
  log: Pick<Logger, 'info' | 'warn'>;
  /** Injected clock (tests); defaults to the wall clock. */
  now?: () => Date;
  /** Time between passes (default SESSION_SWEEP_INTERVAL_MS). */
  intervalMs?: number;
}

export interface SessionSweep {
  /** One pass over every tenant; resolves to what it deleted. A pass already running is joined, not doubled. */
  runOnce(): Promise<{ sessions: number; refreshTokens: number }>;
  /** Stops the interval and waits for a running pass. */
  close(): Promise<void>;
}

export function startSessionSweep(deps: SessionSweepDeps): SessionSweep {
  const now = deps.now ?? (() => new Date());

  const pass = async () => {
    const total = { sessions: 0, refreshTokens: 0 };
    const at = now();
    for (const tenant of await deps.store.tenants.list()) {
      for (;;) {
        const r = await deps.store.sessions.sweepExpired(tenant.id, at);
        total.sessions += r.sessions;
        total.refreshTokens += r.refreshTokens;
        if (!r.more) break;
      }
    }
    if (total.sessions > 0) deps.log.info({ event: 'sessions.swept', sessions: total.sessions, refresh_tokens: total.refreshTokens }, 'expired sessions swept');
    return total;
  };

  return startPeriodicPass(pass, {
    intervalMs: deps.intervalMs ?? SESSION_SWEEP_INTERVAL_MS,
    // The next pass retries; a store that is closing or briefly failing is not worth a crash.
    onError: (e) => deps.log.warn({ err: { type: (e as Error)?.name, code: (e as { code?: unknown })?.code } }, 'session sweep failed; the next pass retries'),
  });
}
