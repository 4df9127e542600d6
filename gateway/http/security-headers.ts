/**
 * Response headers every answer carries: API responses hold PHI, so nothing may cache them
 * (`Cache-Control: no-store` unless a route chose a policy, as the public JWKS does), browsers must
 * not sniff a JSON body into HTML, leak URLs in Referer, or frame the gateway.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** Sets the headers after the route answered (so error answers get them too). */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
    if (!c.res.headers.has('Content-Security-Policy')) c.header('Content-Security-Policy', "frame-ancestors 'none'");
  };
}
