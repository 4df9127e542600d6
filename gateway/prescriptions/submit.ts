/**
 * The synchronous prescription path shared by the API and the legacy alias: engine extraction over
 * NATS, a durable encrypted write, then the `prescription.extracted` event (ids only).
 */
import { WardClerkError } from '../../core/errors.js';
import type { GatewayDeps } from '../http/deps.js';
import type { PrescriptionRecord } from '../store/records.js';
import { MAX_TEXT_CHARS } from './schemas.js';

export interface SubmitInput {
  text: string;
  patient_ref?: string | undefined;
  doctor?: string | undefined;
  external_id?: string | undefined;
  source: 'text' | 'pdf' | 'image';
}

/** Rejects empty or oversized text with a coded error before any work is done. */
export function checkText(text: string): void {
  if (text.trim().length === 0) throw new WardClerkError('EMPTY_TEXT', 'The note text is empty');
  if (text.length > MAX_TEXT_CHARS) {
    throw new WardClerkError('PAYLOAD_TOO_LARGE', `The note text exceeds ${MAX_TEXT_CHARS} characters`, { details: { max_chars: MAX_TEXT_CHARS } });
  }
}

export async function submitPrescription(deps: GatewayDeps, tenantId: string, input: SubmitInput): Promise<PrescriptionRecord> {
  checkText(input.text);
  const extraction = await deps.extract(tenantId, input.text);
  deps.metrics.extractionLatency.observe({ extractor: extraction.extractor }, extraction.latency_ms / 1000);
  const record = await deps.store.prescriptions.create(tenantId, {
    text: input.text,
    patient_ref: input.patient_ref ?? null,
    doctor: input.doctor ?? null,
    source: input.source,
    external_id: input.external_id ?? null,
    job_id: null,
    extraction,
  });
  await deps.events.publish(tenantId, 'prescription.extracted', { prescription_id: record.prescription_id, job_id: null });
  return record;
}
