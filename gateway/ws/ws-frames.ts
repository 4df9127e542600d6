/**
 * Every frame of `/api/v1/ws`, client→server and server→client, as zod schemas with a sentence
 * each. The hub parses the client frames with these; ws-docs.ts publishes the catalogue in the
 * OpenAPI document (`x-websocket-frames` on the `/api/v1/ws` path) so clients never guess.
 */
import { z } from 'zod';
import { GenerateResultSchema, WardEventSchema } from '../../core/contracts.js';
import { CATCH_UP_MAX } from '../scheduler/due-catch-up.js';
import { WsGenerateFrameSchema } from './generate-frames.js';

const FrameId = z.string().min(1).max(128);
const ErrorBody = z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) });

/** `{"type":"auth","token":"<JWT>"}`: the first frame when the token is not in Sec-WebSocket-Protocol. */
export const AuthFrameSchema = z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) });
/** `{"type":"ping","id"?}`: answered with a pong at any time, before or after authentication. */
export const PingFrameSchema = z.object({ type: z.literal('ping'), id: FrameId.optional() });

export interface FrameDoc {
  type: string;
  description: string;
  schema: z.ZodType;
}

/** Frames a client sends. */
export const CLIENT_FRAMES: FrameDoc[] = [
  { type: 'auth', description: 'First frame when the token is not offered in Sec-WebSocket-Protocol; a tenant client token (scope-free). Without it within 5 s the socket closes with 4401.', schema: AuthFrameSchema },
  { type: 'ping', description: 'Application-level keep-alive; answered with {"type":"pong"} (echoing id) at any time.', schema: PingFrameSchema },
  { type: 'generate', description: 'After ready: start a text generation with a client-chosen id (at most 4 running per socket); answered with token frames then one done or error frame of that id.', schema: WsGenerateFrameSchema },
  { type: 'cancel', description: 'Stop the generation with this id; its last frame is an error with code CANCELLED. An unknown id is ignored.', schema: z.object({ type: z.literal('cancel'), id: FrameId }) },
];

/** Frames the server sends. */
export const SERVER_FRAMES: FrameDoc[] = [
  { type: 'ready', description: "Authenticated and subscribed: every event of the tenant after this frame is delivered (a person's socket: every event addressed to them). On a patient's socket the reminder catch-up (see event) comes just before it.", schema: z.object({ type: z.literal('ready'), tenant_id: z.string() }) },
  { type: 'pong', description: 'Answer to a ping frame, with its id when it had one.', schema: z.object({ type: z.literal('pong'), id: FrameId.optional() }) },
  { type: 'event', description: `A tenant event (the same payload as a webhook delivery; ids only, never note text). Catch-up: when a patient's socket connects, it first gets a reminder.due event for each of their reminders due now and not checked in (at most ${CATCH_UP_MAX}, newest due time first), with the event id and data.delivery_id of that reminder's latest delivery and its late flag, so a reminder that fell due while no socket was open (e.g. during a gateway restart) still arrives. A delivery id can therefore arrive again on a new socket: treat an event whose id was already seen as a duplicate; one socket gets each delivery id once.`, schema: z.object({ type: z.literal('event'), event: WardEventSchema }) },
  { type: 'token', description: 'A piece of generated text for generation id.', schema: z.object({ type: z.literal('token'), id: FrameId, text: z.string() }) },
  { type: 'done', description: 'The generation id finished: the whole result.', schema: GenerateResultSchema.extend({ type: z.literal('done'), id: FrameId }) },
  { type: 'error', description: 'A frame was refused (id null: not JSON, unknown type) or generation id failed (VALIDATION_FAILED, OVERLOADED, CANCELLED, ENGINE_UNAVAILABLE…).', schema: z.object({ type: z.literal('error'), id: FrameId.nullable(), error: ErrorBody }) },
];

/** Close codes the server uses besides the standard ones (1002 protocol error, 1009 frame too large). */
export const CLOSE_CODES: Record<string, string> = {
  '4400': 'the first frame was not ping or auth',
  '4401': "invalid token, no auth frame within 5 s, or the person's session has ended (at connect, or later: \"session revoked\")",
  '4403': 'the token is not a tenant client or user token, or the person must change their password first',
  '4429': 'too many connections for this tenant',
  '1011': 'the event subscription failed; reconnect',
};

/** The catalogue as JSON (JSON Schema per frame) for the OpenAPI document. */
export function frameCatalogue(): Record<string, unknown> {
  const json = (f: FrameDoc) => ({ type: f.type, description: f.description, schema: z.toJSONSchema(f.schema, { unrepresentable: 'any', io: 'input' }) });
  return { client: CLIENT_FRAMES.map(json), server: SERVER_FRAMES.map(json), close_codes: CLOSE_CODES };
}
