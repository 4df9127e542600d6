/**
 * The Extractor conformance suite (STYLE habit 10): rules, llm and hybrid pass the same tests.
 * Output must parse with ExtractionSchema, carry the extractor's id, keep every span inside the
 * text, survive any string, and reject an aborted signal with CANCELLED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExtractionSchema, type Extraction, type Span } from '../../core/clinical/extraction.js';
import { isWardClerkError } from '../../core/errors.js';
import type { Extractor } from './extractor.js';

export const CONFORMANCE_NOTES = [
  'Assessment: type 2 diabetes mellitus. Plan: metformin 500 mg PO BID x 30 days. Dr. Jane Smith, MD',
  'No history of asthma. Lisinopril 10 mg tablet once daily. Ibuprofen 400 mg q6h prn pain.',
  '',
  'Pt on Metf0rmin 5OO rng twice daily',
];

function spans(e: Extraction): Span[] {
  return [
    ...e.sections.map((s) => s.span),
    ...e.diseases.map((d) => d.span),
    ...e.medications.flatMap((m) => [m.span, ...Object.values(m.spans)]),
    ...e.observations.map((o) => o.span),
    ...e.allergies.map((a) => a.span),
    ...(e.doctor ? [e.doctor.span] : []),
  ];
}

/** Checks one result against the contract; exported so backend tests can reuse it. */
export function expectConformingExtraction(extractor: Extractor, text: string, e: Extraction): void {
  const parsed = ExtractionSchema.safeParse(e);
  expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  expect(e.extractor).toBe(extractor.id);
  expect(e.extractor_version).toBe(extractor.version);
  for (const s of spans(e)) {
    expect(s.start).toBeLessThanOrEqual(s.end);
    expect(s.end).toBeLessThanOrEqual(text.length);
  }
}

export function describeExtractorConformance(name: string, make: () => Extractor): void {
  describe(`Extractor conformance: ${name}`, () => {
    it.each(CONFORMANCE_NOTES.map((n) => [n]))('returns a schema-valid extraction with in-range spans for %j', async (text) => {
      const extractor = make();
      expectConformingExtraction(extractor, text, await extractor.extract({ text }));
    });

    it('never fails on arbitrary strings', async () => {
      const extractor = make();
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
          expectConformingExtraction(extractor, text, await extractor.extract({ text }));
        }),
        { numRuns: 40 },
      );
    });

    it('rejects an aborted signal with CANCELLED', async () => {
      const e = await make()
        .extract({ text: CONFORMANCE_NOTES[0] as string, signal: AbortSignal.abort() })
        .then(() => null, (err: unknown) => err);
      expect(isWardClerkError(e) && e.code).toBe('CANCELLED');
    });
  });
}
