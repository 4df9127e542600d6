/**
 * Reminder routes, thin wrappers over reminders-service.ts:
 * GET /api/v1/me/reminders, POST /api/v1/me/reminders/{id}/check-in, GET/PUT
 * /api/v1/me/schedule-preferences (patients); GET /api/v1/patients/{id}/reminders (care team);
 * GET/PUT /api/v1/admin/settings/schedule (tenant admins).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import {
  checkIn, getMySchedulePreferences, getScheduleSettings, listMyReminders, listPatientReminders, putMySchedulePreferences, putScheduleSettings,
  ReminderListQuerySchema,
} from './reminders-service.js';

const ReminderViewSchema = z.object({
  reminder_id: z.string(), series_id: z.string(), care_plan_id: z.string(), activity_id: z.string(), patient_id: z.string(),
  title: z.string().nullable(), kind: z.string().nullable(), due_at: z.string(), state: z.string(), late: z.boolean(), nags: z.number(),
  delivered_at: z.string().nullable(), checked_in_at: z.string().nullable(), snoozed_until: z.string().nullable(), reason: z.string().nullable(),
}).openapi('Reminder');
const CheckInBodySchema = z.object({
  action: z.enum(['taken', 'skipped', 'snooze']), reason: z.string().optional().openapi({ description: 'Required for skipped' }),
  minutes: z.number().int().optional().openapi({ description: 'For snooze: 1-240' }),
}).strict().openapi('ReminderCheckIn');
const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema: successEnvelope(schema) } } });
const body = (schema: z.ZodTypeAny) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const AnyObject = z.record(z.string(), z.unknown());
const list = z.object({ items: z.array(ReminderViewSchema) });
const QUERY_NOTE = 'state: due (delivered, not yet answered), upcoming (scheduled), missed, all; from/to: ISO date-times (a window of at most 92 days; defaults per state).';

export function registerReminderRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);
  const raw = async (c: { req: { json(): Promise<unknown> } }): Promise<unknown> => c.req.json().catch(() => undefined);

  app.openapi(createRoute({
    method: 'get', path: '/api/v1/me/reminders', summary: "The signed-in patient's reminders", description: QUERY_NOTE,
    security: [{ bearerAuth: [] }], middleware: [auth, requireUser('patient')] as const, request: { query: ReminderListQuerySchema },
    responses: { 200: { description: 'Reminders, by due time', ...json(list) }, ...errorResponses(400, 401, 403) },
  }), async (c) => ok(c, { items: await listMyReminders(deps, c.get('principal'), c.req.valid('query')) }));

  app.openapi(createRoute({
    method: 'post', path: '/api/v1/me/reminders/{id}/check-in', summary: 'Check in a reminder: taken, skipped (with a reason) or snooze (minutes)',
    description: "Another patient's reminder: 404. Already checked in: 409 REMINDER_ALREADY_CHECKED_IN. Its plan was superseded: 409 REMINDER_CANCELLED. Missed or not due yet: 409 REMINDER_NOT_DUE.",
    security: [{ bearerAuth: [] }], middleware: [auth, requireUser('patient')] as const,
    request: { params: z.object({ id: z.string() }), ...body(CheckInBodySchema) },
    responses: { 200: { description: 'The reminder after the check-in', ...json(ReminderViewSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
  }), async (c) => ok(c, await checkIn(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json'))));

  app.openapi(createRoute({
    method: 'get', path: '/api/v1/patients/{id}/reminders', summary: "A patient's reminders (care team, tenant admins, clients with patients:read)",
    description: `Anyone who may not see the patient gets 404. ${QUERY_NOTE}`,
    security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: z.object({ id: z.string() }), query: ReminderListQuerySchema },
    responses: { 200: { description: 'Reminders, by due time', ...json(list) }, ...errorResponses(400, 401, 404) },
  }), async (c) => ok(c, { items: await listPatientReminders(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('query')) }));

  app.openapi(createRoute({
    method: 'get', path: '/api/v1/me/schedule-preferences', summary: 'Your own meal and sleep times',
    security: [{ bearerAuth: [] }], middleware: [auth, requireUser('patient')] as const,
    responses: { 200: { description: 'Preferences', ...json(AnyObject) }, ...errorResponses(401, 403) },
  }), async (c) => ok(c, await getMySchedulePreferences(deps, c.get('principal'))));

  app.openapi(createRoute({
    method: 'put', path: '/api/v1/me/schedule-preferences', summary: 'Shift your own meal and sleep times; your future reminders are re-planned',
    description: '{meals?: {breakfast?, lunch?, dinner?}, sleep?: {wake?, bedtime?}} as HH:mm local times.',
    security: [{ bearerAuth: [] }], middleware: [auth, requireUser('patient')] as const, request: body(AnyObject),
    responses: { 200: { description: 'Stored; how many series moved', ...json(AnyObject) }, ...errorResponses(400, 401, 403) },
  }), async (c) => ok(c, await putMySchedulePreferences(deps, c.get('principal'), await raw(c))));

  app.openapi(createRoute({
    method: 'get', path: '/api/v1/admin/settings/schedule', summary: "The tenant's schedule settings",
    security: [{ bearerAuth: [] }], middleware: [auth, requireUser('tenant_admin')] as const,
    responses: { 200: { description: 'Settings (absent fields: defaults)', ...json(AnyObject) }, ...errorResponses(401, 403) },
  }), async (c) => ok(c, await getScheduleSettings(deps, c.get('principal'))));

  app.openapi(createRoute({
    method: 'put', path: '/api/v1/admin/settings/schedule', summary: "Set the tenant's clock-time policy, nag interval and count, re-plan limits",
    description: '{clock_policy?: partial policy (frequencyTimes, meals, sleep, dayParts, mealOffsetMinutes, minIntervalMinutes, maxCourseExtensionMinutes), nag_interval_minutes? (default 15), nag_count? (default 4), late_after_seconds? (default 60)}. Invalid: 400 VALIDATION_FAILED, nothing stored.',
    security: [{ bearerAuth: [] }], middleware: [auth, requireUser('tenant_admin')] as const, request: body(AnyObject),
    responses: { 200: { description: 'The stored settings', ...json(AnyObject) }, ...errorResponses(400, 401, 403) },
  }), async (c) => ok(c, await putScheduleSettings(deps, c.get('principal'), await raw(c))));
}
