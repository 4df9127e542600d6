/**
 * OCR throughput for `npm run bench`: pages/s of the tesseract backend on rendered one-page
 * prescriptions (images and a scanned PDF), with one worker and with the default pool, plus the
 * PDF rasterisation rate on its own.
 */
import { availableParallelism } from 'node:os';
import { rasterizePdf } from '../../engine/ocr/rasterize-pdf.js';
import { createTesseractOcr } from '../../engine/providers/tesseract-ocr.js';
import { renderPrescriptionPng, renderScannedPdf } from '../../test/render-prescription.js';

const LINES = [
  ['Rx: Metformin 500 mg tablet', 'Take 1 tablet twice daily with meals', 'Dr. Jane Smith'],
  ['Rx: Amoxicillin 250 mg capsule', 'Take 1 capsule three times daily for 7 days'],
  ['Rx: Lisinopril 10 mg tablet', 'Take 1 tablet once daily', 'Refills: 3'],
];

function rate(n: number, ms: number): number {
  return Number(((n / ms) * 1000).toFixed(2));
}

export async function benchOcr(options: { pages?: number } = {}): Promise<Record<string, unknown>> {
  const n = options.pages ?? 6;
  const pngs = await Promise.all(Array.from({ length: n }, (_, i) => renderPrescriptionPng(LINES[i % LINES.length]!)));
  const pdf = await renderScannedPdf(pngs);
  const result: Record<string, unknown> = { pages: n, cores: availableParallelism() };

  let t0 = performance.now();
  let rendered = 0;
  for await (const _ of rasterizePdf(pdf)) rendered++;
  result['rasterize_pages_per_s'] = rate(rendered, performance.now() - t0);

  for (const workers of [1, Math.min(4, availableParallelism())]) {
    const ocr = await createTesseractOcr({ workers });
    try {
      await ocr.recognize({ bytes: pngs[0]!, mime: 'image/png' }); // starts the pool
      t0 = performance.now();
      await Promise.all(pngs.map((bytes) => ocr.recognize({ bytes, mime: 'image/png' })));
      result[`tesseract_png_pages_per_s_workers_${workers}`] = rate(n, performance.now() - t0);
      t0 = performance.now();
      await ocr.recognize({ bytes: pdf, mime: 'application/pdf' });
      result[`tesseract_pdf_pages_per_s_workers_${workers}`] = rate(n, performance.now() - t0);
    } finally {
      await ocr.close?.();
    }
  }
  return result;
}
