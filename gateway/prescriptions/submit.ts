/**
 * The synchronous prescription path shared by the API and the legacy alias: engine extraction over
 * NATS, a durable encrypted write holding the record and its `prescription.extracted` event (ids
 * only, in the outbox), then the event is published after the answer.
 */
import type { WardEvent } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { GatewayDeps } from '../http/deps.js';
import type { PrescriptionRecord } from '../store/records.js';
import { MAX_TEXT_CHARS } from './schemas.js';
import { observeStage } from './stage-timing.js';

export interface SubmitInput {
  text: string;
  patient_ref?: string | undefined;
  doctor?: string | undefined;
  external_id?: string | undefined;
  source: 'text' | 'pdf' | 'image';
  /** Lowest OCR page confidence (0–1) when the text was read by OCR; the engine warns when it is low. */
  ocrConfidence?: number | undefined;
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
  let started = performance.now();
  const extraction = await deps.extract(tenantId, input.text, input.ocrConfidence === undefined ? {} : { ocrConfidence: input.ocrConfidence });
  observeStage(deps.metrics, 'engine', started);
  deps.metrics.extractionLatency.observe({ extractor: extraction.extractor }, extraction.latency_ms / 1000);
  started = performance.now();
  // The event is committed with the record (outbox) and published after the answer: the request
  // waits for one durable write, not for JetStream as well.
  let staged: WardEvent | undefined;
  const record = await deps.store.prescriptions.create(tenantId, {
    text: input.text,
    patient_ref: input.patient_ref ?? null,
    doctor: input.doctor ?? null,
    source: input.source,
    external_id: input.external_id ?? null,
    job_id: null,
    extraction,
  }, (rec) => {
    const { event, op } = deps.events.stage(tenantId, 'prescription.extracted', { prescription_id: rec.prescription_id, job_id: null });
    staged = event;
    return [op];
  });
  observeStage(deps.metrics, 'store', started);
  started = performance.now();
  deps.events.release(staged!);
  observeStage(deps.metrics, 'event', started);
  return record;
}
