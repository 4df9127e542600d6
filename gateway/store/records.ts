/**
 * Record shapes the store keeps and returns. Every value read back from LevelDB is decrypted and
 * then checked against one of these schemas before anyone sees it (data is `unknown` until then).
 */
import { z } from 'zod';
import { ExtractionSchema } from '../../core/clinical/extraction.js';
import { EventTypeSchema, WardEventSchema } from '../../core/contracts.js';

const IsoDateTime = z.iso.datetime({ offset: true });

// ---- system (operator-level) -------------------------------------------------------------------

export const OperatorRecordSchema = z.object({
  id: z.string().min(1),
  email: z.string().min(1),
  password_hash: z.string().min(1),
  created_at: IsoDateTime,
});
/** An operator (appliance admin) account. Looked up by a blind index of the normalised email. */
export type OperatorRecord = z.infer<typeof OperatorRecordSchema>;

const JwkSchema = z.record(z.string(), z.unknown());

export const SigningKeyRecordSchema = z.object({
  kid: z.string().min(1),
  alg: z.literal('EdDSA'),
  private_jwk: JwkSchema,
  public_jwk: JwkSchema,
  created_at: IsoDateTime,
});
/** A JWT signing key pair (private part sealed with the system data key). */
export type SigningKeyRecord = z.infer<typeof SigningKeyRecordSchema>;

export const TenantRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  created_at: IsoDateTime,
  /** Browser origins (scheme://host[:port]) allowed to call the API with this tenant's tokens. */
  cors_origins: z.array(z.string()).optional(),
});
export type TenantRecord = z.infer<typeof TenantRecordSchema>;

export const ClientRecordSchema = z.object({
  client_id: z.string().min(1),
  tenant_id: z.string().min(1),
  name: z.string(),
  scopes: z.array(z.string()),
  /** Argon2id hash of the client secret (the secret itself is never stored). */
  secret_hash: z.string().min(1),
  created_at: IsoDateTime,
});
/** An OAuth client-credentials client of one tenant. */
export type ClientRecord = z.infer<typeof ClientRecordSchema>;

export const ClientInputSchema = ClientRecordSchema.pick({ name: true, scopes: true, secret_hash: true });
export type ClientInput = z.infer<typeof ClientInputSchema>;

// ---- prescriptions ---------------------------------------------------------------------------

export const PrescriptionInputSchema = z.object({
  text: z.string(),
  patient_ref: z.string().min(1).nullable(),
  doctor: z.string().nullable(),
  source: z.enum(['text', 'pdf', 'image']),
  external_id: z.string().min(1).nullable(),
  job_id: z.string().nullable(),
  /** The item's index in its batch job (null or absent outside a job). */
  job_item_index: z.number().int().nonnegative().nullable().optional(),
  extraction: ExtractionSchema,
});
/** What a caller gives `store.prescriptions.create`. */
export type PrescriptionInput = z.infer<typeof PrescriptionInputSchema>;

/**
 * The check on write: every field but the extraction, which every producer has already checked
 * against ExtractionSchema where it entered the process (the engine's NATS reply, the worker's
 * request). Re-validating the whole nested extraction on the hot path cost more than sealing it;
 * reads still validate the full record after decryption.
 */
export const PrescriptionWriteSchema = PrescriptionInputSchema.extend({
  extraction: z.custom<z.infer<typeof ExtractionSchema>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected an extraction object'),
});

export const PrescriptionRecordSchema = PrescriptionInputSchema.extend({
  prescription_id: z.string().min(1),
  tenant_id: z.string().min(1),
  created_at: IsoDateTime,
});
/** A stored prescription: the note text, who/where it came from, and its extraction. */
export type PrescriptionRecord = z.infer<typeof PrescriptionRecordSchema>;

export interface PrescriptionListQuery {
  /** Exact match after normalisation (trim, case, NFC), via the patient blind index. */
  patient_ref?: string | undefined;
  /** ICD-10 code (exact, or a parent such as `E11` for `E11.9`) or a case-insensitive substring of a non-negated disease's display/text. */
  disease?: string | undefined;
  /** Case-insensitive substring of the record's `doctor` or the extracted prescriber's name. */
  doctor?: string | undefined;
  /** ISO date-time; only records with `created_at >= since`. */
  since?: string | undefined;
  /** Only the prescriptions a batch job produced (via the by-job index). */
  job_id?: string | undefined;
  /** `next_cursor` of the previous page. */
  cursor?: string | undefined;
  /** 1..100, default 50. */
  limit?: number | undefined;
}

export interface PrescriptionPage {
  items: PrescriptionRecord[];
  /** Pass back as `cursor` for the next page; null when this is the last page. */
  next_cursor: string | null;
}

// ---- jobs --------------------------------------------------------------------------------------

export const MAX_JOB_ITEMS = 1000;

export const JobItemInputSchema = z.object({
  text: z.string(),
  patient_ref: z.string().min(1).nullable().optional(),
  external_id: z.string().min(1).nullable().optional(),
});
export type JobItemInput = z.infer<typeof JobItemInputSchema>;

export const JobErrorSchema = z.object({
  index: z.number().int().nonnegative(),
  external_id: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
/** One failed item of a job (never any note text). */
export type JobError = z.infer<typeof JobErrorSchema>;

export const JobRecordSchema = z.object({
  job_id: z.string().min(1),
  tenant_id: z.string().min(1),
  total: z.number().int().nonnegative(),
  /** Items that succeeded. */
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
  errors: z.array(JobErrorSchema),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job as the API reports it. */
export interface JobView {
  job_id: string;
  status: JobStatus;
  total: number;
  completed: number;
  failed: number;
  created_at: string;
  updated_at: string;
  errors: JobError[];
}

export const JobItemRecordSchema = z.object({
  index: z.number().int().nonnegative(),
  text: z.string(),
  patient_ref: z.string().nullable(),
  external_id: z.string().nullable(),
  state: z.enum(['pending', 'succeeded', 'failed']),
  prescription_id: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type JobItemRecord = z.infer<typeof JobItemRecordSchema>;

// ---- webhooks ----------------------------------------------------------------------------------

export const WebhookRecordSchema = z.object({
  id: z.string().min(1),
  url: z.string().min(1),
  /** Event types it subscribes to (core/contracts.ts EVENT_TYPES). */
  events: z.array(EventTypeSchema),
  /** HMAC signing secret (sealed at rest; the HTTP layer never returns it). */
  secret: z.string().min(1),
  created_at: IsoDateTime,
  /** disabled: after sustained failure (or by hand); no deliveries until re-enabled. */
  status: z.enum(['active', 'disabled']).default('active'),
  disabled_reason: z.string().nullable().default(null),
  disabled_at: IsoDateTime.nullable().default(null),
  /** Failed attempts since the last success, and when the first of them happened. */
  consecutive_failures: z.number().int().nonnegative().default(0),
  failing_since: IsoDateTime.nullable().default(null),
  /** Events not delivered because the subscription had too many deliveries pending. */
  skipped_deliveries: z.number().int().nonnegative().default(0),
  last_success_at: IsoDateTime.nullable().default(null),
});
export type WebhookRecord = z.infer<typeof WebhookRecordSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;

/** One delivery of one event to one subscription: ids, codes and counts only (no payload PHI). */
export const WebhookDeliveryRecordSchema = z.object({
  /** `whd_…`, time-ordered. */
  id: z.string().min(1),
  webhook_id: z.string().min(1),
  /** The X-WardClerk-Delivery value, `${event id}.${webhook id}`. */
  delivery_id: z.string().min(1),
  /** The event as delivered (ids only), kept so a dead letter can be redelivered. */
  event: WardEventSchema,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int().nonnegative(),
  last_status_code: z.number().int().nullable(),
  last_error_code: z.string().nullable(),
  last_reason: z.string().nullable(),
  redeliveries: z.number().int().nonnegative(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
  delivered_at: IsoDateTime.nullable(),
});
export type WebhookDeliveryRecord = z.infer<typeof WebhookDeliveryRecordSchema>;

export const WebhookInputSchema = WebhookRecordSchema.pick({ url: true, events: true, secret: true });
export type WebhookInput = z.infer<typeof WebhookInputSchema>;
