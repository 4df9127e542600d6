/** GET /api/v1/patients/{id}/search: hybrid search over one patient's documents (service.ts). */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth } from '../auth/middleware.js';
import { PatientParam } from '../care-plans/schemas.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { MAX_QUERY_CHARS, SearchQuerySchema, SearchResultSchema } from './schemas.js';
import { searchPatient } from './service.js';

const DESCRIPTION = `The patient themself, doctors and nurses assigned to them, tenant admins, and API clients with patients:read; anyone else gets 404, as for a patient that does not exist. Searches the patient's INDEXED documents only (BM25 and embeddings, fused by reciprocal rank; lay words such as "sugar" also find their clinical terms). Each item is a passage with its document, page and character range in that page's text. index_state "building" says documents are still being processed. q longer than ${MAX_QUERY_CHARS} characters: 400 QUERY_TOO_LONG; k outside 1–50, a bad type, section or date: 400 VALIDATION_FAILED.`;

export function registerSearchRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients/{id}/search', summary: "Search a patient's documents", description: DESCRIPTION,
      security: [{ bearerAuth: [] }], middleware: [requireAuth(deps.tokens)] as const, request: { params: PatientParam, query: SearchQuerySchema },
      responses: {
        200: { description: 'The best passages, best first', content: { 'application/json': { schema: successEnvelope(SearchResultSchema) } } },
        ...errorResponses(400, 401, 404, 409),
      },
    }),
    async (c) => ok(c, await searchPatient(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('query'), c.req.raw.signal)),
  );
}
