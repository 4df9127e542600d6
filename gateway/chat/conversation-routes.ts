/**
 * A caller's own chat conversations about a patient: list, read, delete. Only the owner (the
 * patient, or the one doctor whose thread it is) sees a conversation; anyone else's id is 404.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth } from '../auth/middleware.js';
import { PageQuery, PatientParam } from '../care-plans/schemas.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import type { ConversationRecord } from '../store/conversations-repo.js';
import { ConversationPageSchema, ConversationParam, ConversationSchema } from './schemas.js';
import { chatAccess, ownConversation } from './service.js';

const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema: successEnvelope(schema) } } });
const WHO = 'Your own conversations only (the patient, or an assigned doctor for their own threads); others get 404. Other roles 403.';

function summary(c: ConversationRecord) {
  return { conversation_id: c.conversation_id, mode: c.mode, created_at: c.created_at, updated_at: c.updated_at, turns: c.turns.length };
}

export function registerConversationRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);
  const base = '/api/v1/patients/{id}/conversations';
  app.openapi(
    createRoute({
      method: 'get', path: base, summary: 'List your chat conversations about a patient', description: WHO,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: PatientParam, query: PageQuery },
      responses: { 200: { description: 'Oldest first', ...json(ConversationPageSchema) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { patient, userId } = await chatAccess(deps, c.get('principal'), c.req.valid('param').id);
      const q = c.req.valid('query');
      const page = await deps.store.conversations.listFor(patient.tenant_id, patient.patient_id, userId, { limit: q.limit ?? 20, ...(q.cursor ? { cursor: q.cursor } : {}) });
      return ok(c, { items: page.items.map(summary), next_cursor: page.next_cursor });
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: `${base}/{conversation_id}`, summary: 'Read one of your chat conversations', description: WHO,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: ConversationParam },
      responses: { 200: { description: 'The conversation with its turns', ...json(ConversationSchema) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, conversation_id } = c.req.valid('param');
      const { patient, userId } = await chatAccess(deps, c.get('principal'), id);
      const conv = await ownConversation(deps, patient, userId, conversation_id);
      return ok(c, { ...summary(conv), turns: conv.turns });
    },
  );
  app.openapi(
    createRoute({
      method: 'delete', path: `${base}/{conversation_id}`, summary: 'Delete one of your chat conversations', description: WHO,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: ConversationParam },
      responses: { 200: { description: 'Deleted', ...json(z.object({ conversation_id: z.string(), deleted: z.literal(true) })) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, conversation_id } = c.req.valid('param');
      const { patient, userId } = await chatAccess(deps, c.get('principal'), id);
      await ownConversation(deps, patient, userId, conversation_id);
      await deps.store.conversations.delete(patient.tenant_id, patient.patient_id, conversation_id);
      return ok(c, { conversation_id, deleted: true as const });
    },
  );
}
