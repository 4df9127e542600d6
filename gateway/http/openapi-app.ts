/**
 * A bare OpenAPIHono app with the gateway's request validation: a request that fails its route's
 * schema throws VALIDATION_FAILED with the issues (path and message only), which the app's one
 * error handler turns into the envelope. createApp builds on it; test fixtures use it for their
 * small apps so that they answer bad input exactly as the gateway does.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from './app-env.js';

/** A new app whose route validation failures throw VALIDATION_FAILED; no middleware, no routes. */
export function createOpenApiApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', { details: { issues } });
      }
      return undefined;
    },
  });
}
