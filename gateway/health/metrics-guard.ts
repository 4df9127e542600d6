/**
 * Who may read /metrics. Metrics hold no PHI, but they describe load, routes and failures, so by
 * default only a client on the loopback interface may scrape them. With WARDCLERK_METRICS_TOKEN set,
 * any client presenting `Authorization: Bearer <token>` may (and loopback alone no longer suffices,
 * so a local reverse proxy cannot open them to the network by accident). A request that a proxy
 * forwarded (X-Forwarded-For / Forwarded) never counts as loopback.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { remoteAddress } from '../http/client-address.js';

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string | null): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Middleware for /metrics: a matching bearer token, or (no token configured) a loopback peer. */
export function guardMetrics(token: string | undefined): MiddlewareHandler<AppEnv> {
  const expected = token === undefined ? null : digest(token);
  return async (c, next) => {
    if (expected) {
      const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(c.req.header('authorization') ?? '');
      // Compare digests so the comparison takes the same time whatever the length sent.
      if (m && timingSafeEqual(digest(m[1]!), expected)) return next();
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new WardClerkError('UNAUTHENTICATED', 'Metrics need the scrape token (WARDCLERK_METRICS_TOKEN)');
    }
    const forwarded = c.req.header('x-forwarded-for') ?? c.req.header('forwarded');
    if (!forwarded && isLoopback(remoteAddress(c))) return next();
    throw new WardClerkError('FORBIDDEN', 'Metrics are served to loopback clients only; set WARDCLERK_METRICS_TOKEN to scrape from elsewhere');
  };
}
