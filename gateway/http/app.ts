/**
 * createApp(deps): the gateway's HTTP application, with no listening (tests use app.request()).
 * Cross-cutting behaviour lives here once: request ids, PHI-free access logs, metrics by route
 * template, and the single error mapping from coded errors to the envelope of DESIGN.md §4.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { randomUUID } from 'node:crypto';
import { WardClerkError, isWardClerkError } from '../../core/errors.js';
import type { AppEnv } from './app-env.js';
import { metadata } from './envelope.js';
import type { GatewayDeps } from './deps.js';
import { bodyErrorOf, limitBodies } from './body-limit.js';
import { corsMiddleware, createCorsPolicy } from './cors.js';
import { registerDocs } from './docs.js';
import { createOpenApiApp } from './openapi-app.js';
import { scrubDetails, scrubPaths } from './scrub-paths.js';
import { securityHeaders } from './security-headers.js';
import { registerRoutes } from './routes.js';

const PROBE_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function toCoded(err: unknown): WardClerkError | null {
  if (isWardClerkError(err)) return err;
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) return new WardClerkError('INVALID_JSON', 'Request body is not valid JSON');
    if (err.status === 413) return new WardClerkError('PAYLOAD_TOO_LARGE', 'Request body is too large');
    if (err.status === 401) return new WardClerkError('UNAUTHENTICATED', 'Authentication required');
    return new WardClerkError('BAD_REQUEST', 'Bad request', { status: err.status });
  }
  if (isClientAbort(err)) return new WardClerkError('CANCELLED', 'The client closed the connection before the request was read', { cause: err });
  return null;
}

/** Node's error for a request whose client hung up mid-body (abortIncoming): the peer's doing, not a bug. */
function isClientAbort(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'ERR_STREAM_PREMATURE_CLOSE' || err.message === 'aborted';
}

/** Renders an error as the envelope; the one place errors become HTTP. */
export function errorResponse(c: Context<AppEnv>, err: unknown): Response {
  // A body stopped by the size/depth limit surfaces in readers as their own error (hono's
  // validator says "Malformed JSON"); answer with the limit's error instead.
  const bodyError = bodyErrorOf(c);
  const coded = bodyError ?? toCoded(err);
  if (!coded) {
    c.get('log')?.error({ err: { type: (err as Error)?.name, stack: (err as Error)?.stack } }, 'unhandled error');
  }
  const e = coded ?? new WardClerkError('INTERNAL', 'Internal error');
  if (e.retryAfter !== undefined) c.header('Retry-After', String(e.retryAfter));
  if (e.status === 401 && e.code !== 'INVALID_CREDENTIALS' && !c.res.headers.get('WWW-Authenticate')) c.header('WWW-Authenticate', 'Bearer');
  // Errors never name file paths (an engine's model path, a library's ENOENT text).
  const error = { code: e.code, message: scrubPaths(e.message), details: scrubDetails(e.details) as Record<string, unknown> };
  return c.json({ status: 'error' as const, error, metadata: metadata(c) }, e.status as 400);
}

export function createApp(deps: GatewayDeps): OpenAPIHono<AppEnv> {
  const app = createOpenApiApp();

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('log', deps.log.child({ request_id: requestId }));
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const route = routePath(c, -1) || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
    // Access lines are debug (health probes trace: a poll every few seconds is not news); a 5xx is
    // a warning, except a not-ready probe, which the probe's own caller already sees.
    const line = { method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) };
    if (PROBE_ROUTES.has(route)) c.get('log').trace(line, 'request');
    else if (c.res.status >= 500) c.get('log').warn(line, 'request');
    else c.get('log').debug(line, 'request');
  });

  app.use('*', securityHeaders());
  app.use('*', corsMiddleware(createCorsPolicy(deps.store.tenants), { publicUrl: deps.config.publicUrl }));
  app.use('*', limitBodies({ inFlightBytes: deps.config.bodyBytesInFlight }));

  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => errorResponse(c, new WardClerkError('NOT_FOUND', 'No such route')));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
    description:
      "A person's access token works only while its session is live: after logout, a revocation, a disabled account, an admin password reset or (for other sessions) a password change, " +
      'it answers 401 SESSION_REVOKED at once. While must_change_password is set, every route but POST /api/v1/auth/password, /auth/logout, /auth/refresh and GET /api/v1/me answers 403 PASSWORD_CHANGE_REQUIRED.',
  });
  registerRoutes(app, deps);
  registerDocs(app);
  return app;
}
