/**
 * RAG refresh (issue 9): POST /api/v1/patients/{id}/refresh (202 with a job), the job's status,
 * GET /api/v1/patients/{id}/summary (the latest version), and the tenant's `auto_refresh` setting
 * at /api/v1/admin/settings/refresh. Thin wrappers over service.ts.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth } from '../auth/middleware.js';
import { PatientParam } from '../care-plans/schemas.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, metadata, ok, successEnvelope } from '../http/envelope.js';
import { RefreshSettingsSchema } from './refresh-settings.js';
import { RefreshAcceptedSchema, RefreshJobParam, RefreshJobSchema, SummaryViewSchema, jobView, summaryView } from './schemas.js';
import { getRefreshJob, getRefreshSettings, getSummary, requestRefresh, setRefreshSettings } from './service.js';

const WRITE = 'The patient themself, doctors and nurses assigned to them, tenant admins, and API clients with patients:write. Anyone else gets 404, as for a patient that does not exist.';
const READ = 'The patient themself, doctors and nurses assigned to them, tenant admins, and API clients with patients:read. Anyone else gets 404.';
const REFRESH = `${WRITE} Recomputes the patient's derived data — the search index (dropped and rebuilt from the sealed store when loaded; automatic refreshes keep it, as it was updated in place) and the extraction summary (active conditions, active medications with dose, latest key labs with dates, from the patient's documents, notes and active care plan) — and stores it as the next version with its inputs. Refreshes run one at a time per patient: a trigger while one runs joins the one queued behind it (the same job_id), so two never overlap. Also triggered automatically (new_document when a document becomes INDEXED, new_note when a note settles) unless the tenant turned auto_refresh off.`;

export function registerRefreshRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);
  const security = [{ bearerAuth: [] }];
  const base = '/api/v1/patients/{id}';

  app.openapi(
    createRoute({
      method: 'post', path: `${base}/refresh`, summary: "Refresh a patient's derived data (index, extraction summary)", description: REFRESH,
      security, middleware: [auth] as const, request: { params: PatientParam },
      responses: { 202: { description: 'Queued (or joined the queued refresh)', content: { 'application/json': { schema: RefreshAcceptedSchema } } }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const job = await requestRefresh(deps, c.get('principal'), c.req.valid('param').id);
      const status_url = `/api/v1/patients/${job.patient_id}/refresh/${job.job_id}`;
      return c.json({ status: 'accepted' as const, job_id: job.job_id, status_url, job: jobView(job), metadata: metadata(c) }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: `${base}/refresh/{job_id}`, summary: 'A refresh job: queued, running, completed (with the version stored) or failed (with a code)',
      description: `${READ} Jobs are remembered in memory by the gateway (the latest 5,000): after a restart, or for an unknown id, 404.`,
      security, middleware: [auth] as const, request: { params: RefreshJobParam },
      responses: { 200: { description: 'The job', content: { 'application/json': { schema: successEnvelope(RefreshJobSchema) } } }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { id, job_id } = c.req.valid('param');
      return ok(c, jobView(await getRefreshJob(deps, c.get('principal'), id, job_id)));
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: `${base}/summary`, summary: "The patient's latest extraction summary version, with its inputs and trigger",
      description: `${READ} 404 NOT_FOUND (resource summary) before the first refresh.`,
      security, middleware: [auth] as const, request: { params: PatientParam },
      responses: { 200: { description: 'The latest version', content: { 'application/json': { schema: successEnvelope(SummaryViewSchema) } } }, ...errorResponses(401, 404) },
    }),
    async (c) => ok(c, summaryView(await getSummary(deps, c.get('principal'), c.req.valid('param').id))),
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/admin/settings/refresh', summary: "Your tenant's RAG refresh settings (tenant admins)",
      security, middleware: [auth] as const,
      responses: { 200: { description: 'Settings', content: { 'application/json': { schema: successEnvelope(RefreshSettingsSchema) } } }, ...errorResponses(401, 403) },
    }),
    async (c) => ok(c, await getRefreshSettings(deps, c.get('principal'))),
  );

  app.openapi(
    createRoute({
      method: 'put', path: '/api/v1/admin/settings/refresh', summary: 'Turn automatic RAG refreshes on or off (tenant admins)',
      description: 'auto_refresh (default true): refresh a patient after a new document is INDEXED or a new note settles. Manual refreshes always run.',
      security, middleware: [auth] as const, request: { body: { required: true, content: { 'application/json': { schema: RefreshSettingsSchema } } } },
      responses: { 200: { description: 'Saved', content: { 'application/json': { schema: successEnvelope(RefreshSettingsSchema) } } }, ...errorResponses(400, 401, 403) },
    }),
    async (c) => ok(c, await setRefreshSettings(deps, c.get('principal'), c.req.valid('json'))),
  );
}
