/**
 * A patient's derived-data versions (issue 9, RAG refresh): each refresh stores one record — the
 * extraction summary with its version, the inputs it was computed from (ids and their
 * `updated_at`), what triggered it and when it ran — sealed with the patient's key. Keys are
 * `<patient id>:<version, 6 digits>`, so the latest version is the last key of the patient.
 */
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';
import { PatientSummarySchema } from '../refresh/patient-summary.js';
import { PATIENT_ID_RE, patientSeal, tenantScope } from './patient-seal.js';
import type { StoreContext } from './store-context.js';

export const REFRESH_TRIGGERS = ['new_document', 'new_note', 'import', 'manual'] as const;
export type RefreshTrigger = (typeof REFRESH_TRIGGERS)[number];

export const SummaryInputSchema = z.object({
  kind: z.enum(['document', 'note', 'care_plan']),
  id: z.string().min(1),
  updated_at: z.iso.datetime({ offset: true }),
});
export type SummaryInput = z.infer<typeof SummaryInputSchema>;

export const PatientSummaryRecordSchema = z.object({
  tenant_id: z.string().min(1),
  patient_id: z.string().regex(PATIENT_ID_RE),
  version: z.number().int().min(1).max(999_999),
  /** The first trigger of the run; `triggers` lists every trigger it coalesced, in order. */
  trigger: z.enum(REFRESH_TRIGGERS),
  triggers: z.array(z.enum(REFRESH_TRIGGERS)).min(1),
  job_id: z.string().min(1),
  inputs: z.array(SummaryInputSchema),
  started_at: z.iso.datetime({ offset: true }),
  finished_at: z.iso.datetime({ offset: true }),
  summary: PatientSummarySchema,
});
export type PatientSummaryRecord = z.infer<typeof PatientSummaryRecordSchema>;

const versionKey = (patientId: string, version: number) => `${patientId}:${String(version).padStart(6, '0')}`;

export class SummariesRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores `record` durably under its version. NOT_FOUND (resource `patient`) when the patient has no key. */
  async put(record: PatientSummaryRecord): Promise<void> {
    const rec = PatientSummaryRecordSchema.parse(record);
    const scope = await tenantScope(this.#ctx, rec.tenant_id);
    const seal = await patientSeal(this.#ctx, scope, rec.tenant_id, rec.patient_id);
    if (!seal) throw new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
    await this.#ctx.writer.write([this.#ctx.vault.put(scope.tables.patientSummaries, versionKey(rec.patient_id, rec.version), rec, seal)]);
  }

  /** The patient's latest version, or null when none was stored (or the patient was shredded). */
  async latest(tenantId: string, patientId: string): Promise<PatientSummaryRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !PATIENT_ID_RE.test(patientId)) return null;
    const table = tables.patientSummaries;
    for await (const [key, bytes] of table.sub.iterator({ gt: `${patientId}:`, lt: `${patientId};`, reverse: true, limit: 1 })) {
      return this.#ctx.vault.decode(table.fullKey(key), bytes, tenantId, PatientSummaryRecordSchema);
    }
    return null;
  }
}
