/** Test builder: a schema-valid Extraction with the diseases and prescriber a test needs. */
import type { Extraction } from '../../../core/clinical/extraction.js';

export function sampleExtraction(opts: {
  diseases?: Array<{ text: string; display?: string; code?: string; negated?: boolean }>;
  doctor?: string;
} = {}): Extraction {
  return {
    extractor: 'rules',
    extractor_version: 'test',
    latency_ms: 1,
    sections: [],
    diseases: (opts.diseases ?? []).map((d) => ({
      text: d.text,
      display: d.display ?? d.text,
      code: d.code ? { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: d.code } : null,
      assertion: d.negated ? 'negated' : 'present',
      span: { start: 0, end: d.text.length },
      confidence: 0.9,
    })),
    medications: [],
    observations: [],
    doctor: opts.doctor
      ? { text: `Dr. ${opts.doctor}`, name: opts.doctor, title: 'Dr.', credentials: [], license: null, npi: null, span: { start: 0, end: 1 }, confidence: 0.9 }
      : null,
    allergies: [],
    warnings: [],
  };
}
