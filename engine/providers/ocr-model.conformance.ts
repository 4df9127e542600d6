/**
 * The OcrModel conformance suite (STYLE habit 10), run by every OCR backend's test file against the
 * same rendered documents: a printed prescription as PNG, and a two-page image-only PDF.
 * Replayed backends carry recordings of what the service returned for these documents.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { renderPrescriptionPng, renderScannedPdf } from '../../test/render-prescription.js';
import type { OcrModel, OcrPage } from './ocr-model.js';

export interface OcrHarness {
  model: OcrModel;
  close(): Promise<void>;
}

export const PRESCRIPTION_A = ['Rx: Metformin 500 mg tablet', 'Take 1 tablet twice daily', 'Dr. Jane Smith'];
export const PRESCRIPTION_B = ['Rx: Amoxicillin 250 mg capsule', 'Take 1 capsule three times daily for 7 days'];

/** Drug, strength and frequency of prescription A, as OCR must deliver them. */
export function expectPrescriptionA(page: OcrPage): void {
  expect(page.text).toMatch(/metformin/i);
  expect(page.text).toMatch(/500\s*mg/i);
  expect(page.text).toMatch(/twice\s+daily/i);
}

function expectWellFormed(page: OcrPage, index: number): void {
  expect(page.index).toBe(index);
  expect(page.confidence).toBeGreaterThan(50);
  expect(page.confidence).toBeLessThanOrEqual(100);
  expect(page.words.length).toBeGreaterThan(5);
  for (const w of page.words) {
    expect(w.text.trim().length).toBeGreaterThan(0);
    expect(w.confidence).toBeGreaterThanOrEqual(0);
    expect(w.confidence).toBeLessThanOrEqual(100);
    expect(w.bbox.x1).toBeGreaterThan(w.bbox.x0);
    expect(w.bbox.y1).toBeGreaterThan(w.bbox.y0);
  }
  // Words are in reading order on the page: "Metformin" comes before "twice" and sits higher.
  const met = page.words.find((w) => /metformin/i.test(w.text));
  const twice = page.words.find((w) => /twice/i.test(w.text));
  if (met && twice) expect(met.bbox.y0).toBeLessThan(twice.bbox.y0);
}

/** Registers the suite under `describe(name)`; `setup` runs once per test. */
export function describeOcrConformance(name: string, setup: () => Promise<OcrHarness>): void {
  describe(`OcrModel conformance: ${name}`, () => {
    let png: Buffer;
    let pdf: Buffer;
    beforeAll(async () => {
      png = await renderPrescriptionPng(PRESCRIPTION_A);
      pdf = await renderScannedPdf([png, await renderPrescriptionPng(PRESCRIPTION_B)]);
    });

    async function run(fn: (m: OcrModel) => Promise<void>): Promise<void> {
      const h = await setup();
      try {
        await fn(h.model);
      } finally {
        await h.close();
      }
    }

    it('reads a printed prescription image: drug, strength, frequency, words with boxes', () =>
      run(async (m) => {
        expect(m.provider.length).toBeGreaterThan(0);
        const r = await m.recognize({ bytes: png, mime: 'image/png' });
        expect(r.pages).toHaveLength(1);
        expectWellFormed(r.pages[0]!, 0);
        expectPrescriptionA(r.pages[0]!);
      }));

    it('reads a two-page scanned PDF page by page, in order', () =>
      run(async (m) => {
        const r = await m.recognize({ bytes: pdf, mime: 'application/pdf' });
        expect(r.pages).toHaveLength(2);
        expectWellFormed(r.pages[0]!, 0);
        expectWellFormed(r.pages[1]!, 1);
        expectPrescriptionA(r.pages[0]!);
        expect(r.pages[1]!.text).toMatch(/amoxicillin/i);
        expect(r.pages[1]!.text).toMatch(/250\s*mg/i);
        expect(r.pages[1]!.text).toMatch(/three\s+times\s+daily/i);
      }));

    it('refuses an aborted signal with CANCELLED', () =>
      run(async (m) => {
        const ac = new AbortController();
        ac.abort();
        const err = await m.recognize({ bytes: png, mime: 'image/png', signal: ac.signal }).catch((x: unknown) => x);
        expect((err as WardClerkError).code).toBe('CANCELLED');
      }));

    it('refuses an unsupported media type with UNSUPPORTED_MEDIA_TYPE', () =>
      run(async (m) => {
        const err = await m.recognize({ bytes: png, mime: 'image/gif' as never }).catch((x: unknown) => x);
        expect((err as WardClerkError).code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }));
  });
}
