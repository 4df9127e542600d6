/** /api/v1/patients/{id}/messages: end-to-end sealed messages between a patient and their care team. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { listMessages, MAX_MESSAGE_CHARS, sendMessage, type MessagesDeps } from './messages-service.js';
import { PageQuerySchema, PatientIdParam } from './patients-schemas.js';

const MessageViewSchema = z
  .object({
    message_id: z.string(), patient_id: z.string(), sender_id: z.string(), recipient_id: z.string(), created_at: z.string(),
    readable: z.boolean(),
    text: z.string().optional(),
    reason: z.enum(['key_reset', 'session_locked']).optional().openapi({
      description: 'key_reset: sealed to a keypair that an admin password reset replaced; it can never be read again. session_locked: sign in again (keys are held only in a live session).',
    }),
  })
  .openapi('SecureMessage');

const SendSchema = z
  .object({
    text: z.string().max(MAX_MESSAGE_CHARS),
    recipient_id: z.string().max(100).optional().openapi({ description: "A patient names a doctor or nurse on their care team; staff write to the patient's account (may be omitted)." }),
  })
  .openapi('SecureMessageInput');

const E2E = 'Each message is sealed to the recipient\'s and the sender\'s X25519 public keys (libsodium sealed boxes) before it is stored: neither the server, nor a copy of its data directory with the master key, can read it. An admin password reset replaces the user\'s keypair, which makes their older messages permanently unreadable (readable: false, reason: key_reset). Only the patient and doctors or nurses assigned to them take part; anyone else gets 404 as for a missing patient.';

export function registerMessageRoutes(app: OpenAPIHono<AppEnv>, deps: MessagesDeps & Pick<GatewayDeps, 'tokens'>): void {
  const auth = requireAuth(deps.tokens);
  const person = requireUser();

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/patients/{id}/messages', summary: 'Send a secure message', description: E2E,
      security: [{ bearerAuth: [] }], middleware: [auth, person] as const,
      request: { params: PatientIdParam, body: { required: true, content: { 'application/json': { schema: SendSchema } } } },
      responses: { 201: { description: 'The sent message (your copy)', content: { 'application/json': { schema: successEnvelope(MessageViewSchema) } } }, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => ok(c, await sendMessage(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients/{id}/messages', summary: 'Your secure messages about a patient (sent and received), oldest first', description: E2E,
      security: [{ bearerAuth: [] }], middleware: [auth, person] as const, request: { params: PatientIdParam, query: PageQuerySchema },
      responses: { 200: { description: 'A page of messages', content: { 'application/json': { schema: successEnvelope(z.object({ items: z.array(MessageViewSchema), next_cursor: z.string().nullable() })) } } }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => ok(c, await listMessages(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('query'))),
  );
}
