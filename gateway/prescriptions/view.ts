/** The API view of a stored prescription: the record's fields plus a flat list of every span. */
import type { Extraction } from '../../core/clinical/extraction.js';
import type { PrescriptionRecord } from '../store/records.js';
import type { PrescriptionView } from './schemas.js';

type SpanRow = { path: string; start: number; end: number };

/** Every extracted value's character span, as `{path, start, end}` (path like "medications[0].strength"). */
export function flattenSpans(x: Extraction): SpanRow[] {
  const rows: SpanRow[] = [];
  const push = (path: string, s: { start: number; end: number } | undefined) => {
    if (s) rows.push({ path, start: s.start, end: s.end });
  };
  x.diseases.forEach((d, i) => push(`diseases[${i}]`, d.span));
  x.medications.forEach((m, i) => {
    push(`medications[${i}]`, m.span);
    for (const [field, s] of Object.entries(m.spans)) push(`medications[${i}].${field}`, s);
  });
  x.observations.forEach((o, i) => push(`observations[${i}]`, o.span));
  x.allergies.forEach((a, i) => push(`allergies[${i}]`, a.span));
  if (x.doctor) push('doctor', x.doctor.span);
  return rows;
}

export function toView(r: PrescriptionRecord): PrescriptionView {
  const x = r.extraction;
  return {
    prescription_id: r.prescription_id,
    created_at: r.created_at,
    patient_ref: r.patient_ref,
    external_id: r.external_id,
    job_id: r.job_id,
    job_item_index: r.job_item_index ?? null,
    source: r.source,
    text: r.text,
    submitted_doctor: r.doctor,
    doctor: x.doctor,
    diseases: x.diseases,
    medications: x.medications,
    observations: x.observations,
    allergies: x.allergies,
    sections: x.sections,
    spans: flattenSpans(x),
    extractor: { id: x.extractor, version: x.extractor_version, latency_ms: x.latency_ms },
    warnings: x.warnings,
  };
}

/** Display strings for the legacy `/get-data` shape. */
export function legacyRow(r: PrescriptionRecord): { prescription_id: string; disease: string; prescription: string; doctor: string } {
  const x = r.extraction;
  const disease = x.diseases.filter((d) => d.assertion === 'present').map((d) => d.display).join(', ');
  const prescription = x.medications
    .map((m) => [m.name, m.strength, m.form, m.route, m.dose !== m.strength ? m.dose : null, m.frequency, m.duration ? `for ${m.duration}` : null, m.as_needed ? 'as needed' : null]
      .filter(Boolean)
      .join(' '))
    .join('; ');
  return { prescription_id: r.prescription_id, disease, prescription, doctor: r.doctor ?? x.doctor?.name ?? '' };
}
