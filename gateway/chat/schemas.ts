/** Request and response schemas of the patient chat API (zod → OpenAPI). */
import { z } from '@hono/zod-openapi';
import { DOCUMENT_TYPES } from '../../core/documents/records.js';
import { PatientSummaryStatsSchema } from './summary-stats.js';

/** Longest message and doctor's context, in characters (longer: 400 VALIDATION_FAILED). */
export const MAX_MESSAGE_CHARS = 2000;
export const MAX_CONTEXT_CHARS = 4000;

export const ChatBodySchema = z
  .object({
    message: z.string().min(1).max(MAX_MESSAGE_CHARS).refine((s) => s.trim() !== '', { message: 'must not be blank' }).openapi({ description: `The question, 1–${MAX_MESSAGE_CHARS} characters.`, example: 'What dose of metformin am I on?' }),
    conversation_id: z.string().max(64).optional().openapi({ description: 'Continue one of your own conversations about this patient (another\'s, or an unknown id: 404).' }),
    additional_context: z.string().max(MAX_CONTEXT_CHARS).optional().openapi({ description: 'Doctors only: clinical context that joins the question for retrieval (a patient sending it gets 400).' }),
  })
  .strict();
export type ChatBody = z.infer<typeof ChatBodySchema>;

const SourceSchema = z.object({
  n: z.number().int().openapi({ description: 'The number cited as [n] in the text.' }),
  document_id: z.string(),
  document_title: z.string(),
  document_type: z.enum(DOCUMENT_TYPES),
  date: z.string().nullable().openapi({ description: "The document's clinical date (ISO)." }),
  page: z.number().int(),
  start: z.number().int().openapi({ description: "The passage's character range in the page text." }),
  end: z.number().int(),
  chunk_id: z.string(),
});

export const ChatAnswerSchema = z
  .object({
    mode: z.enum(['patient', 'doctor']),
    conversation_id: z.string().openapi({ description: 'The conversation this turn was stored in (sealed with the patient key).' }),
    text: z.string().openapi({ description: 'The answer; every sentence ends with citations [n] into `sources`.' }),
    sentences: z.array(z.object({ text: z.string(), citations: z.array(z.number().int()) })),
    sources: z.array(SourceSchema),
    found: z.boolean().openapi({ description: 'False when the records hold nothing relevant (the text says so) or for a referral.' }),
    requires_doctor_consultation: z.boolean(),
    referral: z.object({ reason: z.string(), urgency: z.enum(['emergency', 'doctor']) }).nullable().openapi({ description: 'Set when a patient message was answered with the fixed referral, without retrieval.' }),
    grounding: z.object({ checked: z.number().int(), dropped: z.number().int() }),
    index_state: z.enum(['ready', 'building']).openapi({ description: "building: some of the patient's documents are still being processed; the answer covers the indexed ones and its last sentence says so." }),
    documents_pending: z.number().int(),
    patient_summary_stats: PatientSummaryStatsSchema.optional().openapi({ description: 'Doctor mode only (absent in patient mode): age, last consultation, active conditions, active medications with dose and latest key labs, from the latest refresh summary (or computed now when none is stored).' }),
  })
  .openapi('ChatAnswer');
export type ChatAnswerView = z.infer<typeof ChatAnswerSchema>;

export const ConversationParam = z.object({ id: z.string().min(1).max(64), conversation_id: z.string().min(1).max(64) });

const TurnSchema = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  at: z.string(),
  sources: z.array(z.record(z.string(), z.unknown())).optional(),
  requires_doctor_consultation: z.boolean().optional(),
});

export const ConversationSummarySchema = z
  .object({ conversation_id: z.string(), mode: z.enum(['patient', 'doctor']), created_at: z.string(), updated_at: z.string(), turns: z.number().int() })
  .openapi('ConversationSummary');
export const ConversationSchema = ConversationSummarySchema.extend({ turns: z.array(TurnSchema) }).openapi('Conversation');
export const ConversationPageSchema = z.object({ items: z.array(ConversationSummarySchema), next_cursor: z.string().nullable() });
