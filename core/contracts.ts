/**
 * Every NATS subject WardClerk uses, with the zod schemas of its request and reply, in one place.
 * Payloads are `unknown` until these schemas have checked them (bus.ts does it on both ends).
 * JetStream messages carry ids only — never note text — so the stream store holds no PHI.
 */
import { z } from 'zod';
import { ExtractionSchema } from './clinical/extraction.js';
import { PlanItemsSchema } from './care/plan-items.js';
import {
  ChunkVectorSchema, DOCUMENT_FORMATS, DOCUMENT_STATUSES, DOCUMENT_TYPES, DocumentChunkSchema, DocumentPageSchema, PageTextSchema, SpanLocationSchema,
} from './documents/records.js';

export interface Contract<Req extends z.ZodTypeAny = z.ZodTypeAny, Res extends z.ZodTypeAny = z.ZodTypeAny> {
  subject: string;
  request: Req;
  response: Res;
}

function contract<Req extends z.ZodTypeAny, Res extends z.ZodTypeAny>(subject: string, request: Req, response: Res): Contract<Req, Res> {
  return { subject, request, response };
}

export const EngineInfoSchema = z.object({
  engine_id: z.string(),
  hostname: z.string(),
  pid: z.number(),
  started_at: z.string(),
  device: z.string(),
  extractors: z.array(z.string()),
  models: z.array(z.record(z.string(), z.unknown())),
  queue_depth: z.number(),
  capabilities: z.record(z.string(), z.unknown()),
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

const JobItemRef = z.object({ tenant_id: z.string(), job_id: z.string(), index: z.number().int().nonnegative() });
/** A doctor's note in the notes pipeline (issue 8): ids only. */
const NoteRef = z.object({ tenant_id: z.string(), note_id: z.string().max(64) });
/** A patient document in the documents pipeline (issue 9): ids only. */
const DocRef = z.object({ tenant_id: z.string(), document_id: z.string().max(64) });
/** Most page texts, chunks or vectors one documents store request carries (the bytes are bounded by the sender too). */
export const MAX_DOCUMENT_BATCH = 500;
/** A document pipeline step's answer: the status now, and whether this request changed it. */
const DocStep = z.object({ status: z.enum(DOCUMENT_STATUSES), changed: z.boolean() });

/** Most items one work message (and one engine call, one store write) carries. */
export const MAX_CHUNK_ITEMS = 100;

/**
 * An extraction in transit through the worker: an object, checked against ExtractionSchema only
 * where it is stored (the gateway's settle handler), so the worker does not validate the same
 * nested document twice on the way (the costliest part of a batch item after the extraction).
 */
export const ExtractionPayloadSchema = z.record(z.string(), z.unknown());

/** One text's outcome in a batch extraction: the extraction, or a coded error for that text alone. */
export const ExtractResultSchema = z.union([
  z.object({ ok: z.literal(true), extraction: ExtractionPayloadSchema }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) }),
]);
export type ExtractResult = z.infer<typeof ExtractResultSchema>;

export const JobItemSchema = z.object({
  index: z.number().int(),
  text: z.string(),
  patient_ref: z.string().nullable(),
  external_id: z.string().nullable(),
  state: z.enum(['pending', 'succeeded', 'failed']),
  prescription_id: z.string().nullable(),
});

export const WebhookTargetSchema = z.object({
  id: z.string(),
  url: z.string(),
  secret: z.string(),
  /** A disabled subscription gets no deliveries until it is re-enabled (absent: active). */
  status: z.enum(['active', 'disabled']).optional(),
});

/** `job.progress` is throttled per job (batch items do not emit one `prescription.extracted` each). */
export const EVENT_TYPES = [
  'job.completed', 'job.progress', 'prescription.extracted', 'webhook.disabled',
  // issue 8: people, notes, care plans, reminders
  'note.processed', 'note.failed', 'plan.activated', 'plan.superseded', 'plan.adherence_alert',
  'task.updated', 'reminder.due', 'reminder.missed', 'reminder.checked_in', 'message.received', 'auth.lockout',
  // issue 9: a patient document entered a status (ids, the status and a failure code only)
  'document.status',
  // issue 9: a patient's chat message got the fixed referral (patient id, reason, urgency; never the message)
  'chat.referral',
] as const;
export const EventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventTypeSchema>;

/** An event as published on `wc.events.<tenant>.<type>`, delivered to webhooks and WebSockets. Ids only. */
export const WardEventSchema = z.object({
  id: z.string(),
  type: EventTypeSchema,
  tenant_id: z.string(),
  created_at: z.string(),
  data: z.record(z.string(), z.unknown()),
  /**
   * The people an event is for (user ids). A user's WebSocket receives only events that name
   * them; API clients and webhooks receive every event of the tenant. Absent: clients only.
   */
  audience: z.object({ user_ids: z.array(z.string()).max(1000) }).optional(),
});
export type WardEvent = z.infer<typeof WardEventSchema>;

/** One webhook delivery attempt's outcome, as the worker reports it (ids and codes only). */
export const WebhookResultSchema = z.object({
  tenant_id: z.string(),
  webhook_id: z.string(),
  delivery_id: z.string(),
  attempt: z.number().int().min(1),
  /** failed: will be retried; dead: no more attempts (dead-lettered). */
  outcome: z.enum(['delivered', 'failed', 'dead']),
  status_code: z.number().int().nullable(),
  error_code: z.string().nullable(),
  reason: z.string().max(100).nullable(),
});
export type WebhookResult = z.infer<typeof WebhookResultSchema>;

/** Largest upload the gateway forwards to `wc.engine.ocr`: base64 grows it by 4/3, and the generated
 * nats config sets `max_payload: 8MB`, so 5 MiB of image or PDF fits with room for the envelope. */
export const MAX_OCR_BYTES = 5 * 1024 * 1024;

export const OcrRequestSchema = z.object({
  mime: z.enum(['image/png', 'image/jpeg', 'image/tiff', 'application/pdf']),
  bytes_b64: z.string().min(1),
});
export const OcrReplySchema = z.object({
  provider: z.string(),
  pages: z.array(z.object({ index: z.number().int().nonnegative(), text: z.string(), confidence: z.number(), rotation: z.number().optional() })),
});
export type OcrReply = z.infer<typeof OcrReplySchema>;

export const ModelRefSchema = z.object({ model_id: z.string().min(1).max(128) });
/** One loaded model as engines report it (load replies, `models` in EngineInfo). */
export const LoadedModelSchema = z.object({
  id: z.string(),
  provider: z.string(),
  kind: z.string(),
  context_size: z.number(),
  concurrency: z.number(),
  queue_size: z.number(),
  active: z.number(),
  queued: z.number(),
  tokens_per_s: z.number().nullable(),
  /** Generations finished with `done`, ended by a cancel, or failed, since the model was loaded. */
  completed: z.number(),
  cancelled: z.number(),
  failed: z.number(),
});
export type LoadedModelInfo = z.infer<typeof LoadedModelSchema>;

/**
 * `wc.engine.generate` is streamed, so it is not a request/reply contract: the gateway publishes a
 * GenerateRequest with a reply inbox; the engine publishes GenerateFrames to that inbox (tokens, then
 * exactly one `done` or `error`). The gateway publishes an empty message on
 * `wc.engine.cancel.<request_id>` when its client goes away; the engine aborts that generation.
 */
export const GENERATE_SUBJECT = 'wc.engine.generate';
/**
 * The reply inboxes of streamed generations (`<prefix>.<unique>`): a subject space apart from
 * every role's own reply inbox, so engines may publish many frames there without being able to
 * reach any other reply (core/bus-permissions.ts).
 */
export const GENERATE_INBOX_PREFIX = '_INBOX_generate';
export const cancelSubject = (requestId: string) => `wc.engine.cancel.${requestId}`;
export const CANCEL_WILDCARD = 'wc.engine.cancel.*';

export const ChatMessageSchema = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().max(200_000) });
export const GenerateRequestSchema = z.object({
  request_id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  model_id: z.string().min(1).max(128).optional(),
  messages: z.array(ChatMessageSchema).min(1).max(200),
  json_schema: z.record(z.string(), z.unknown()).optional(),
  max_tokens: z.number().int().min(1).max(8192),
  temperature: z.number().min(0).max(2).optional(),
});
export type GenerateRequest = z.infer<typeof GenerateRequestSchema>;

/** A finished generation: what the HTTP route returns and the stream's `done` frame carries. */
export const GenerateResultSchema = z.object({
  model_id: z.string(),
  text: z.string(),
  json: z.unknown().optional(),
  finish_reason: z.enum(['stop', 'length']),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }),
  tokens_per_s: z.number().nullable(),
});

export const GenerateFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), text: z.string() }),
  GenerateResultSchema.extend({ type: z.literal('done') }),
  z.object({ type: z.literal('error'), error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) }),
]);
export type GenerateFrame = z.infer<typeof GenerateFrameSchema>;

export const contracts = {
  engineExtract: contract(
    'wc.engine.extract',
    z.object({
      tenant_id: z.string(), text: z.string(), extractor: z.string().optional(),
      /** Lowest OCR page confidence (0–1) when the text came from OCR: extractors warn when it is low. */
      ocr_confidence: z.number().min(0).max(1).optional(),
    }),
    ExtractionSchema,
  ),
  /** Many texts in one request (batch items); one result per text, in order, errors per item. */
  engineExtractBatch: contract(
    'wc.engine.extract-batch',
    z.object({ tenant_id: z.string(), texts: z.array(z.string()).min(1).max(MAX_CHUNK_ITEMS), extractor: z.string().optional() }),
    z.object({ results: z.array(ExtractResultSchema) }),
  ),
  engineSig: contract('wc.engine.sig', z.object({ text: z.string() }), z.record(z.string(), z.unknown())),
  enginePing: contract('wc.engine.ping', z.object({}), EngineInfoSchema),
  engineOcr: contract('wc.engine.ocr', OcrRequestSchema, OcrReplySchema),
  /** No queue group: every engine loads (or unloads) the model; the gateway collects each reply. */
  engineModelsLoad: contract('wc.engine.models.load', ModelRefSchema, LoadedModelSchema),
  engineModelsUnload: contract('wc.engine.models.unload', ModelRefSchema, z.object({ model_id: z.string(), unloaded: z.boolean() })),
  jobItemGet: contract('wc.store.job-item.get', JobItemRef, JobItemSchema),
  jobItemComplete: contract(
    'wc.store.job-item.complete',
    JobItemRef.extend({ extraction: ExtractionSchema }),
    z.object({ prescription_id: z.string(), created: z.boolean(), job_done: z.boolean() }),
  ),
  /** A chunk of a job's items (text only for pending ones). */
  jobItemsGet: contract(
    'wc.store.job-items.get',
    JobItemRef.extend({ count: z.number().int().min(1).max(MAX_CHUNK_ITEMS) }),
    z.array(JobItemSchema.pick({ index: true, text: true, state: true, prescription_id: true })),
  ),
  /** Settles many items of one job in one durable write (idempotent per item). */
  jobItemsSettle: contract(
    'wc.store.job-items.settle',
    z.object({
      tenant_id: z.string(),
      job_id: z.string(),
      completed: z.array(z.object({ index: z.number().int().nonnegative(), extraction: ExtractionPayloadSchema })).max(MAX_CHUNK_ITEMS),
      failed: z.array(z.object({ index: z.number().int().nonnegative(), code: z.string(), message: z.string() })).max(MAX_CHUNK_ITEMS),
    }),
    z.object({ job_done: z.boolean(), settled: z.array(z.object({ index: z.number().int(), state: z.enum(['pending', 'succeeded', 'failed']), prescription_id: z.string().nullable() })) }),
  ),
  jobItemFail: contract(
    'wc.store.job-item.fail',
    JobItemRef.extend({ code: z.string(), message: z.string() }),
    z.object({ job_done: z.boolean() }),
  ),
  /**
   * Admits an event's deliveries: one delivery record per matching active subscription, except
   * where that subscription already has WARDCLERK_WEBHOOK_MAX_PENDING deliveries pending (counted as
   * skipped). Idempotent per delivery id.
   */
  webhooksForEvent: contract(
    'wc.store.webhooks.for-event',
    z.object({ tenant_id: z.string(), event: WardEventSchema }),
    z.object({ deliveries: z.array(z.object({ webhook_id: z.string(), delivery_id: z.string() })), skipped: z.number().int() }),
  ),
  /** Records one delivery attempt's outcome; the reply says whether the subscription is (now) disabled. */
  webhookResult: contract(
    'wc.store.webhooks.result',
    WebhookResultSchema,
    z.object({ status: z.enum(['active', 'disabled', 'gone']) }),
  ),
  webhookGet: contract('wc.store.webhooks.get', z.object({ tenant_id: z.string(), id: z.string() }), WebhookTargetSchema.nullable()),
  /** A note's actionable steps (issue 8): the extraction of the text and the plan items found in it. */
  enginePlanItems: contract(
    'wc.engine.plan-items',
    z.object({
      tenant_id: z.string(), text: z.string(), note_date: z.iso.date(), extractor: z.string().optional(),
      ocr_confidence: z.number().min(0).max(1).optional(),
    }),
    z.object({ extraction: ExtractionPayloadSchema, items: PlanItemsSchema }),
  ),
  /** A note for its pipeline (text only while it is pending). */
  noteGet: contract(
    'wc.store.note.get',
    NoteRef,
    z.object({ note_id: z.string(), status: z.string(), text: z.string(), note_date: z.string(), ocr_confidence: z.number().nullable() }),
  ),
  /** Settles a note once: its plan items (a new plan supersedes the active one) or a coded failure. */
  noteSettle: contract(
    'wc.store.note.settle',
    NoteRef.extend({
      outcome: z.union([
        z.object({ ok: z.literal(true), extraction: ExtractionPayloadSchema, items: PlanItemsSchema }),
        z.object({ ok: z.literal(false), code: z.string(), message: z.string().max(500) }),
      ]),
    }),
    z.object({ status: z.string(), care_plan_id: z.string().nullable(), created: z.boolean() }),
  ),
  /** A document's state for its pipeline (no text; `analyzed`: tier 2's extraction is stored). */
  documentGet: contract(
    'wc.store.document.get',
    DocRef,
    z.object({
      document_id: z.string(), status: z.enum(DOCUMENT_STATUSES), format: z.enum(DOCUMENT_FORMATS), type: z.enum(DOCUMENT_TYPES),
      clinical_date: z.string().nullable(), page_count: z.number().int(), blob_parts: z.number().int(), analyzed: z.boolean(),
      pages: z.array(DocumentPageSchema),
    }),
  ),
  /** One part of the sealed original, base64 (only while RECEIVED: the ingest step is its only reader). */
  documentPart: contract('wc.store.document.part', DocRef.extend({ part: z.number().int().nonnegative() }), z.object({ bytes_b64: z.string() })),
  /** Stores ingested page texts (idempotent per page; only while RECEIVED). */
  documentPagesPut: contract(
    'wc.store.document.pages-put',
    DocRef.extend({ pages: z.array(PageTextSchema).min(1).max(MAX_DOCUMENT_BATCH) }),
    z.object({ stored: z.number().int() }),
  ),
  /** RECEIVED → INGESTED with the per-page text source and OCR confidence (every page's text must be stored). */
  documentIngested: contract('wc.store.document.ingested', DocRef.extend({ pages: z.array(DocumentPageSchema).min(1) }), DocStep),
  /** INGESTED → ANALYZING. */
  documentStart: contract('wc.store.document.start', DocRef, DocStep),
  /** Page texts `from` (1-based) on, at most `count` (while INGESTED or ANALYZING). */
  documentPagesGet: contract(
    'wc.store.document.pages-get',
    DocRef.extend({ from: z.number().int().min(1), count: z.number().int().min(1).max(MAX_DOCUMENT_BATCH) }),
    z.object({ pages: z.array(PageTextSchema) }),
  ),
  /** Stores tier 2's extraction once (status stays ANALYZING until indexed). */
  documentAnalyzed: contract(
    'wc.store.document.analyzed',
    DocRef.extend({ extraction: ExtractionPayloadSchema, locations: z.array(SpanLocationSchema) }),
    DocStep,
  ),
  /** Stores chunks and their vectors (idempotent per chunk id; only while ANALYZING after tier 2). */
  documentChunksPut: contract(
    'wc.store.document.chunks-put',
    DocRef.extend({ chunks: z.array(DocumentChunkSchema).min(1).max(MAX_DOCUMENT_BATCH), vectors: z.array(ChunkVectorSchema).max(MAX_DOCUMENT_BATCH) }),
    z.object({ stored: z.number().int() }),
  ),
  /** ANALYZING → INDEXED once `chunk_count` chunks are stored. */
  documentIndexed: contract(
    'wc.store.document.indexed',
    DocRef.extend({ chunk_count: z.number().int().nonnegative(), embedding_space: z.string().min(1) }),
    DocStep,
  ),
  /** Any status short of INDEXED → FAILED with a coded reason (a settled document stays as it is). */
  documentFail: contract('wc.store.document.fail', DocRef.extend({ code: z.string().min(1).max(64), message: z.string().max(500) }), DocStep),
  deadLetter: contract(
    'wc.store.dead-letter',
    z.object({ tenant_id: z.string(), kind: z.string(), ref: z.string(), code: z.string(), message: z.string() }),
    z.object({ recorded: z.boolean() }),
  ),
} as const;

/** Announcements engines publish (no reply). */
export const ENGINE_INFO_SUBJECT = 'wc.engine.info';

/** JetStream layout. */
export const STREAMS = {
  items: { name: 'WC_ITEMS', subjects: ['wc.items.>'], consumer: 'items' },
  events: { name: 'WC_EVENTS', subjects: ['wc.events.>'], consumer: 'webhook-fanout' },
  deliveries: { name: 'WC_DELIVERIES', subjects: ['wc.deliveries.>'], consumer: 'deliveries' },
  notes: { name: 'WC_NOTES', subjects: ['wc.notes.>'], consumer: 'notes' },
  docs: { name: 'WC_DOCS', subjects: ['wc.docs.>'], consumer: 'docs' },
  dead: { name: 'WC_DEAD', subjects: ['wc.dead.>'] },
} as const;

/**
 * A batch work message on `wc.items.<tenant>`: ids only. It stands for items `index ..
 * index+count-1` of the job (count absent = 1), processed together and settled per item.
 */
export const ItemMessageSchema = JobItemRef.extend({ count: z.number().int().min(1).max(MAX_CHUNK_ITEMS).optional() });
export type ItemMessage = z.infer<typeof ItemMessageSchema>;

/** A webhook delivery work message on `wc.deliveries.<tenant>`. */
export const DeliveryMessageSchema = z.object({
  delivery_id: z.string(),
  tenant_id: z.string(),
  webhook_id: z.string(),
  event: WardEventSchema,
});
export type DeliveryMessage = z.infer<typeof DeliveryMessageSchema>;

/** A note pipeline work message on `wc.notes.<tenant>` (ids only; Nats-Msg-Id = the note id). */
export const NoteMessageSchema = NoteRef;
export type NoteMessage = z.infer<typeof NoteMessageSchema>;

/** A document pipeline work message on `wc.docs.<tenant>` (ids only; Nats-Msg-Id = the document id). */
export const DocumentMessageSchema = DocRef;
export type DocumentMessage = z.infer<typeof DocumentMessageSchema>;

export const itemSubject = (tenantId: string) => `wc.items.${tenantId}`;
export const noteSubject = (tenantId: string) => `wc.notes.${tenantId}`;
export const docSubject = (tenantId: string) => `wc.docs.${tenantId}`;
export const eventSubject = (tenantId: string, type: EventType) => `wc.events.${tenantId}.${type}`;
export const deliverySubject = (tenantId: string) => `wc.deliveries.${tenantId}`;
export const deadSubject = (kind: string) => `wc.dead.${kind}`;
