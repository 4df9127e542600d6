/**
 * /api/v1/patients/{id}/notes, /care-plan(s), /tasks and plan activities: thin REST wrappers over
 * service*.ts. A patient the caller may not see is 404 NOT_FOUND, as for one that does not exist.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { toFhirCarePlan, toFhirTask } from '../../core/care/fhir-care.js';
import { requireAuth } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, metadata, ok, successEnvelope } from '../http/envelope.js';
import { readPrescriptionRequest } from '../prescriptions/intake.js';
import type { SubmitInput } from '../prescriptions/submit.js';
import {
  ActivityParam, CarePlanViewSchema, FhirResourceSchema, FormatQuery, NoteAcceptedSchema, NoteDetailSchema, NoteInputSchema, NoteParam,
  NoteQuery, NoteViewSchema, PageQuery, PatientParam, TaskListQuery, TaskParam, TaskViewSchema, noteView, withoutTenant,
} from './schemas.js';
import { createNote, getCurrentCarePlan, getNote, listCarePlans, listNotes } from './service.js';
import { ActivityPatchSchema, updateActivity } from './service-activities.js';
import { TaskPatchSchema, listTasks, updateTask } from './service-tasks.js';

const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema: successEnvelope(schema) } } });
const page = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), next_cursor: z.string().nullable() });
const READ = 'The patient themself, doctors and nurses assigned to them, tenant admins, and API clients with patients:read. Anyone else gets 404, as for a patient that does not exist.';

const intake: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('input', await readPrescriptionRequest(c));
  await next();
};

export function registerCarePlanRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);
  const binary = { schema: z.any().openapi({ type: 'string', format: 'binary' }) };

  // The body is read by the prescriptions intake (size, UTF-8, JSON, PDF/OCR by content type).
  app.openAPIRegistry.registerPath({
    method: 'post', path: '/api/v1/patients/{id}/notes', summary: "Add a doctor's note; its checklist and care plan are made asynchronously",
    description: 'Doctors and nurses assigned to the patient (and API clients with patients:write). Body as POST /api/v1/prescriptions accepts it: JSON {text}, multipart (field "file"), text/plain, PDF or an image (OCR). ?note_date=YYYY-MM-DD dates the note (default: today in the patient\'s zone); due dates count from it. 202 with the job; follow it with job.progress/job.completed, note.processed or note.failed (WebSocket, webhooks) or GET the note. A note with activities supersedes the active care plan (the old one is revoked and its pending reminders cancelled, atomically); a note with nothing actionable leaves it (status no_actionable_items). 400 EMPTY_TEXT, 400 UNREADABLE_FILE (binary), 413 for over-long notes: nothing stored.',
    security: [{ bearerAuth: [] }],
    request: {
      params: PatientParam, query: NoteQuery,
      body: { required: true, content: { 'application/json': { schema: NoteInputSchema }, 'multipart/form-data': { schema: z.object({ file: binary.schema }) }, 'text/plain': { schema: z.string() }, 'application/pdf': binary, 'image/png': binary, 'image/jpeg': binary } },
    },
    responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: NoteAcceptedSchema } } }, ...errorResponses(400, 401, 403, 404, 413, 415, 503) },
  });
  app.post('/api/v1/patients/:id/notes', auth, intake, async (c) => {
    const input = c.get('input') as SubmitInput;
    const patientId = c.req.param('id');
    const noteDate = c.req.query('note_date');
    const { note, job_id } = await createNote(deps, c.get('principal'), patientId, { text: input.text, source: input.source, ocrConfidence: input.ocrConfidence, noteDate });
    return c.json({ status: 'accepted' as const, job_id, note_id: note.note_id, status_url: `/api/v1/patients/${note.patient_id}/notes/${note.note_id}`, metadata: metadata(c) }, 202);
  });

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients/{id}/notes', summary: "A patient's notes (oldest first)", description: READ,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: PatientParam, query: PageQuery },
      responses: { 200: { description: 'A page of notes', ...json(page(NoteViewSchema)) }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const p = await listNotes(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('query'));
      return ok(c, { items: p.items.map(noteView), next_cursor: p.next_cursor });
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients/{id}/notes/{note_id}', summary: 'One note with its status, extraction and plan items', description: READ,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: NoteParam },
      responses: { 200: { description: 'The note', ...json(NoteDetailSchema) }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { id, note_id } = c.req.valid('param');
      return ok(c, withoutTenant(await getNote(deps, c.get('principal'), id, note_id)));
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients/{id}/care-plan', summary: "The patient's active care plan", description: `${READ} 404 (resource care_plan) when there is none. ?format=fhir gives a FHIR R4 CarePlan.`,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: PatientParam, query: FormatQuery },
      responses: { 200: { description: 'The active plan', ...json(z.union([CarePlanViewSchema, FhirResourceSchema])) }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const plan = await getCurrentCarePlan(deps, c.get('principal'), c.req.valid('param').id);
      return ok(c, c.req.valid('query').format === 'fhir' ? toFhirCarePlan(plan) : withoutTenant(plan));
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients/{id}/care-plans', summary: "Every care plan of the patient, superseded (revoked) ones included", description: READ,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: PatientParam, query: PageQuery },
      responses: { 200: { description: 'A page of plans, oldest first', ...json(page(CarePlanViewSchema)) }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const p = await listCarePlans(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('query'));
      return ok(c, { items: p.items.map(withoutTenant), next_cursor: p.next_cursor });
    },
  );

  app.openapi(
    createRoute({
      method: 'patch', path: '/api/v1/patients/{id}/care-plan/activities/{activity_id}', summary: "Change an activity's timing, or end it (re-plans its reminders)",
      description: 'A doctor assigned to the patient (or an API client with patients:write). Body {timing} (FHIR Timing, tim-1…tim-10 checked) or {status: "ended"}. 409 for an activity already ended.',
      security: [{ bearerAuth: [] }], middleware: [auth] as const,
      request: { params: ActivityParam, body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi({ description: 'ActivityPatch: {timing?, status?: "ended"}' }) } } } },
      responses: { 200: { description: 'The plan as it now is', ...json(CarePlanViewSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, activity_id } = c.req.valid('param');
      return ok(c, withoutTenant(await updateActivity(deps, c.get('principal'), id, activity_id, c.req.valid('json'))));
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients/{id}/tasks', summary: "The patient's checklist", description: `${READ} ?format=fhir lists FHIR R4 Task resources.`,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: PatientParam, query: TaskListQuery.merge(FormatQuery) },
      responses: { 200: { description: 'A page of tasks, oldest first', ...json(page(z.union([TaskViewSchema, FhirResourceSchema]))) }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const { format, ...query } = c.req.valid('query');
      const p = await listTasks(deps, c.get('principal'), c.req.valid('param').id, query);
      return ok(c, { items: p.items.map((t) => (format === 'fhir' ? toFhirTask(t) : withoutTenant(t))), next_cursor: p.next_cursor });
    },
  );

  app.openapi(
    createRoute({
      method: 'patch', path: '/api/v1/patients/{id}/tasks/{task_id}', summary: 'Tick off (completed) or drop (cancelled) a checklist task',
      description: 'The patient or their care team (or an API client with patients:write). Body {status}. 409 CONFLICT once a task is completed or cancelled. Publishes task.updated.',
      security: [{ bearerAuth: [] }], middleware: [auth] as const,
      request: { params: TaskParam, body: { required: true, content: { 'application/json': { schema: TaskPatchSchema } } } },
      responses: { 200: { description: 'The task', ...json(TaskViewSchema) }, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, task_id } = c.req.valid('param');
      return ok(c, withoutTenant(await updateTask(deps, c.get('principal'), id, task_id, c.req.valid('json'))));
    },
  );
}

export { ActivityPatchSchema };
