/**
 * Every NATS subject WardClerk uses, with the zod schemas of its request and reply, in one place.
 * Payloads are `unknown` until these schemas have checked them (bus.ts does it on both ends).
 * JetStream messages carry ids only — never note text — so the stream store holds no PHI.
 */
import { z } from 'zod';
import { ExtractionSchema } from './clinical/extraction.js';

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

export const JobItemSchema = z.object({
  index: z.number().int(),
  text: z.string(),
  patient_ref: z.string().nullable(),
  external_id: z.string().nullable(),
  state: z.enum(['pending', 'succeeded', 'failed']),
  prescription_id: z.string().nullable(),
});

export const WebhookTargetSchema = z.object({ id: z.string(), url: z.string(), secret: z.string() });

export const EVENT_TYPES = ['job.completed', 'prescription.extracted'] as const;
export const EventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventTypeSchema>;

/** An event as published on `wc.events.<tenant>.<type>`, delivered to webhooks and WebSockets. Ids only. */
export const WardEventSchema = z.object({
  id: z.string(),
  type: EventTypeSchema,
  tenant_id: z.string(),
  created_at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type WardEvent = z.infer<typeof WardEventSchema>;

export const contracts = {
  engineExtract: contract(
    'wc.engine.extract',
    z.object({ tenant_id: z.string(), text: z.string(), extractor: z.string().optional() }),
    ExtractionSchema,
  ),
  engineSig: contract('wc.engine.sig', z.object({ text: z.string() }), z.record(z.string(), z.unknown())),
  enginePing: contract('wc.engine.ping', z.object({}), EngineInfoSchema),
  jobItemGet: contract('wc.store.job-item.get', JobItemRef, JobItemSchema),
  jobItemComplete: contract(
    'wc.store.job-item.complete',
    JobItemRef.extend({ extraction: ExtractionSchema }),
    z.object({ prescription_id: z.string(), created: z.boolean(), job_done: z.boolean() }),
  ),
  jobItemFail: contract(
    'wc.store.job-item.fail',
    JobItemRef.extend({ code: z.string(), message: z.string() }),
    z.object({ job_done: z.boolean() }),
  ),
  webhooksForEvent: contract(
    'wc.store.webhooks.for-event',
    z.object({ tenant_id: z.string(), type: EventTypeSchema }),
    z.array(z.object({ id: z.string() })),
  ),
  webhookGet: contract('wc.store.webhooks.get', z.object({ tenant_id: z.string(), id: z.string() }), WebhookTargetSchema.nullable()),
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
  dead: { name: 'WC_DEAD', subjects: ['wc.dead.>'] },
} as const;

/** A batch item work message on `wc.items.<tenant>`: ids only. */
export const ItemMessageSchema = JobItemRef;
export type ItemMessage = z.infer<typeof ItemMessageSchema>;

/** A webhook delivery work message on `wc.deliveries.<tenant>`. */
export const DeliveryMessageSchema = z.object({
  delivery_id: z.string(),
  tenant_id: z.string(),
  webhook_id: z.string(),
  event: WardEventSchema,
});
export type DeliveryMessage = z.infer<typeof DeliveryMessageSchema>;

export const itemSubject = (tenantId: string) => `wc.items.${tenantId}`;
export const eventSubject = (tenantId: string, type: EventType) => `wc.events.${tenantId}.${type}`;
export const deliverySubject = (tenantId: string) => `wc.deliveries.${tenantId}`;
export const deadSubject = (kind: string) => `wc.dead.${kind}`;
