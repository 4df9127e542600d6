/**
 * `POST /api/v1/auth/signup` (issue 8): unauthenticated, so the tenant comes from the invitation
 * code (which names it) or, where a tenant allows open sign-up of patients, from `tenant_id` in the
 * body. Every attempt counts against the per-IP and per-email sign-up rate (429 + Retry-After).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AuthThrottle } from '../auth/routes.js';
import { UserTokensSchema } from '../auth/routes.js';
import { normalizeIdentity } from '../auth/identity.js';
import type { AppEnv } from '../http/app-env.js';
import { remoteAddress } from '../http/client-address.js';
import { errorResponses, metadata, successEnvelope } from '../http/envelope.js';
import { ADMINISTRATIVE_GENDERS, BirthDateSchema } from '../store/patient-records.js';
import type { PeopleDeps } from './sessions-service.js';
import { signup } from './signup-service.js';

/** Longer than any password we accept, so a too-long one gets PASSWORD_TOO_LONG rather than a schema error. */
const PASSWORD_FIELD_MAX = 16 * 1024;

export const SignupBody = z
  .object({
    email: z.email().max(320),
    password: z.string().min(1).max(PASSWORD_FIELD_MAX).openapi({ description: '12–256 characters, not a common password' }),
    display_name: z.string().trim().min(1).max(200),
    invitation_code: z.string().min(1).max(200).optional().openapi({ description: 'From POST /api/v1/admin/invitations; names the tenant and role' }),
    tenant_id: z.string().min(1).max(64).optional().openapi({ description: 'Open sign-up of patients only (the tenant set people.signup to open)' }),
    time_zone: z.string().min(1).max(64).optional().openapi({ description: 'Patients: IANA zone for reminders, e.g. Europe/Berlin' }),
    birth_date: BirthDateSchema.optional(),
    sex: z.enum(ADMINISTRATIVE_GENDERS).optional(),
  })
  .openapi('SignupRequest');

const signupRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/signup',
  tags: ['auth'],
  summary: 'Create an account (by invitation, or open patient sign-up) and sign in',
  description:
    'With invitation_code: the tenant, role (and patient record) of the invitation; the code is single use and expires. ' +
    'Without: tenant_id of a tenant whose people.signup is open, and the account is a patient; otherwise 403 SIGNUP_CLOSED. ' +
    'Errors: 400 WEAK_PASSWORD, PASSWORD_TOO_LONG, INVITATION_INVALID (details.reason unknown|used|expired), INVALID_TIME_ZONE; 409 EMAIL_TAKEN; 429 RATE_LIMITED.',
  request: { body: { required: true, content: { 'application/json': { schema: SignupBody } } } },
  responses: {
    201: { description: 'The account exists and is signed in', content: { 'application/json': { schema: successEnvelope(UserTokensSchema) } } },
    ...errorResponses(400, 403, 409, 429),
  },
});

export function registerSignupRoutes(app: OpenAPIHono<AppEnv>, deps: PeopleDeps, throttle: AuthThrottle): void {
  app.openapi(signupRoute, async (c) => {
    const body = c.req.valid('json');
    const attempt = { kind: 'signup' as const, identity: normalizeIdentity(body.email), ip: remoteAddress(c) ?? 'unknown' };
    await throttle.ready;
    throttle.limiter.check(attempt);
    // Sign-up is limited by rate, not by failures: every attempt counts.
    throttle.limiter.recordFailure(attempt);
    const tokens = await signup(deps, body);
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'success' as const, data: tokens, metadata: metadata(c) }, 201);
  });
}
