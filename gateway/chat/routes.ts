/**
 * POST /api/v1/patients/{id}/chat (service.ts). With `Accept: text/event-stream` the answer arrives
 * as server-sent events: `delta` (text, one sentence with its citations at a time) then `done`
 * (the whole answer); otherwise as JSON. Access, validation and retrieval happen before the
 * response starts, so their errors are ordinary coded HTTP errors.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { streamAnswer } from '../../engine/chat/answer/answer-stream.js';
import { requireAuth } from '../auth/middleware.js';
import { PatientParam } from '../care-plans/schemas.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { ChatAnswerSchema, ChatBodySchema } from './schemas.js';
import { registerConversationRoutes } from './conversation-routes.js';
import { answerChat } from './service.js';

const DESCRIPTION = `The patient themself (patient mode: plain words, only their own records; messages about life-threatening symptoms, self-harm, or asking for a diagnosis or a treatment decision get the fixed referral at once, requires_doctor_consultation true, and a chat.referral event to the care team) or a doctor assigned to them (doctor mode: clinical terms, more passages, additional_context allowed). Other callers: 403; an unassigned doctor or another tenant's patient: 404. Every sentence of the answer cites the patient's documents; when nothing relevant is indexed the answer says the records do not contain it. The question and answer are stored in the caller's own conversation (conversation_id, sealed with the patient key); a conversation_id that is not the caller's own: 404.`;

export function registerChatRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/patients/{id}/chat', summary: "Ask about a patient's records (cited answer; SSE with Accept: text/event-stream)", description: DESCRIPTION,
      security: [{ bearerAuth: [] }], middleware: [requireAuth(deps.tokens)] as const,
      request: { params: PatientParam, body: { required: true, content: { 'application/json': { schema: ChatBodySchema } } } },
      responses: {
        200: {
          description: 'The answer (JSON), or an event stream of `delta` and `done` events',
          content: { 'application/json': { schema: successEnvelope(ChatAnswerSchema) }, 'text/event-stream': { schema: z.string() } },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const answer = await answerChat(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json'), c.req.raw.signal);
      if (!(c.req.header('accept') ?? '').includes('text/event-stream')) return ok(c, answer);
      return streamSSE(c, async (sse) => {
        for await (const e of streamAnswer(answer)) {
          if (e.type === 'delta') await sse.writeSSE({ event: 'delta', data: JSON.stringify({ text: e.text }) });
          else await sse.writeSSE({ event: 'done', data: JSON.stringify(answer) });
        }
      }) as unknown as ReturnType<typeof ok>;
    },
  );
  registerConversationRoutes(app, deps);
}
