/**
 * Local OCR with tesseract.js and the English model from disk, on prescriptions rendered by the
 * test: upright, rotated a quarter turn, low contrast, and as a scanned PDF. Kept few and small:
 * OCR is CPU-heavy.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { renderPrescriptionPng, renderScannedPdf } from '../../test/render-prescription.js';
import { describeOcrConformance, expectPrescriptionA, PRESCRIPTION_A } from './ocr-model.conformance.js';
import type { OcrModel } from './ocr-model.js';
import { createTesseractOcr, defaultTessdataPath } from './tesseract-ocr.js';

describeOcrConformance('tesseract', async () => {
  const model = await createTesseractOcr({ workers: 1 });
  return { model, close: () => model.close?.() ?? Promise.resolve() };
});

const EXTRACT = new URL('../clinical/extract.ts', import.meta.url);
const hasExtract = existsSync(EXTRACT);
if (!hasExtract) console.warn(`skipping OCR→extraction test: ${EXTRACT.pathname} not present yet`);

describe('tesseract ocr', () => {
  let ocr: OcrModel;
  beforeAll(async () => {
    ocr = await createTesseractOcr({ workers: 1 });
  });
  afterAll(async () => {
    await ocr?.close?.();
  });

  it('reads the English model from the installed package folder, not a CDN', () => {
    expect(existsSync(join(defaultTessdataPath(), 'eng.traineddata.gz'))).toBe(true);
  });

  it('reads a prescription scanned a quarter turn off, reporting the correction', async () => {
    const png = await renderPrescriptionPng(PRESCRIPTION_A, { rotate: 90 });
    const [page] = (await ocr.recognize({ bytes: png, mime: 'image/png' })).pages;
    expectPrescriptionA(page!);
    expect(page!.rotation).toBe(270);
  });

  it('reads a low-contrast prescription', async () => {
    const png = await renderPrescriptionPng(PRESCRIPTION_A, { ink: '#a0a0a0', paper: '#b6b6b6', fontSize: 18, width: 700 });
    const [page] = (await ocr.recognize({ bytes: png, mime: 'image/png' })).pages;
    expectPrescriptionA(page!);
  });

  it.skipIf(!hasExtract)('carries drug, strength and frequency of a scanned PDF into the extraction', async () => {
    const { extractClinical } = await import('../clinical/extract.js');
    const pdf = await renderScannedPdf([await renderPrescriptionPng(PRESCRIPTION_A, { rotate: 180 })]);
    const [page] = (await ocr.recognize({ bytes: pdf, mime: 'application/pdf' })).pages;
    const med = extractClinical(page!.text).medications.find((m) => /metformin/i.test(m.name ?? ''));
    expect(med).toBeDefined();
    expect(med!.strength).toMatch(/500\s*mg/i);
    expect(med!.frequency).toMatch(/BID|twice/i);
  });

  it('names a missing language file with MODEL_NOT_FOUND instead of downloading it', async () => {
    const err = (await createTesseractOcr({ langPath: '/nonexistent/tessdata' }).catch((x: unknown) => x)) as WardClerkError;
    expect(err.code).toBe('MODEL_NOT_FOUND');
    expect(err.details['path']).toBe('/nonexistent/tessdata/eng.traineddata.gz');
  });

  it('answers undecodable image bytes with UNSUPPORTED_MEDIA_TYPE', async () => {
    const err = (await ocr.recognize({ bytes: new Uint8Array([1, 2, 3, 4]), mime: 'image/png' }).catch((x: unknown) => x)) as WardClerkError;
    expect(err.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses work after close', async () => {
    const m = await createTesseractOcr({ workers: 1 });
    await m.close?.();
    const err = (await m.recognize({ bytes: new Uint8Array([1]), mime: 'image/png' }).catch((x: unknown) => x)) as WardClerkError;
    expect(err.code).toBe('ENGINE_UNAVAILABLE');
  });
});
