import { loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { renderPrescriptionPng, renderScannedPdf, renderTextPdf } from '../../test/render-prescription.js';
import { pdfHasTextLayer, pdfPageCount, rasterizePdf } from './rasterize-pdf.js';

describe('rasterizePdf', () => {
  it('renders each page to a PNG at the requested resolution, in order', async () => {
    const pages = [await renderPrescriptionPng(['one'], { width: 800 }), await renderPrescriptionPng(['two', 'lines'], { width: 600 })];
    const pdf = await renderScannedPdf(pages);
    expect(await pdfPageCount(pdf)).toBe(2);
    const out = [];
    for await (const p of rasterizePdf(pdf, { dpi: 200 })) out.push(p);
    expect(out.map((p) => p.index)).toEqual([0, 1]);
    // renderScannedPdf places each image at 200 dpi, so rendering at 200 dpi gives back its size.
    expect(Math.abs(out[0]!.width - 800)).toBeLessThanOrEqual(1);
    expect(Math.abs(out[1]!.width - 600)).toBeLessThanOrEqual(1);
    const img = await loadImage(Buffer.from(out[1]!.png));
    expect(img.width).toBe(out[1]!.width);
  });

  it('caps the longest side', async () => {
    const pdf = await renderScannedPdf([await renderPrescriptionPng(['x'], { width: 1000 })]);
    for await (const p of rasterizePdf(pdf, { dpi: 600, maxSide: 500 })) expect(Math.max(p.width, p.height)).toBeLessThanOrEqual(500);
  });

  it('stops with CANCELLED when the signal aborts', async () => {
    const pdf = await renderScannedPdf([await renderPrescriptionPng(['x']), await renderPrescriptionPng(['y'])]);
    const ac = new AbortController();
    const seen: number[] = [];
    const err = await (async () => {
      for await (const p of rasterizePdf(pdf, { signal: ac.signal })) {
        seen.push(p.index);
        ac.abort();
      }
    })().catch((x: unknown) => x);
    expect(seen).toEqual([0]);
    expect((err as WardClerkError).code).toBe('CANCELLED');
  });

  it('tells a born-digital PDF from a scan', async () => {
    expect(await pdfHasTextLayer(renderTextPdf(['Metformin 500 mg tablet', 'Take 1 tablet twice daily']))).toBe(true);
    expect(await pdfHasTextLayer(await renderScannedPdf([await renderPrescriptionPng(['Metformin 500 mg'])]))).toBe(false);
  });

  it('answers bytes that are not a PDF with INVALID_PDF, and does not detach the caller’s buffer', async () => {
    const bytes = new TextEncoder().encode('not a pdf at all');
    const err = (await pdfPageCount(bytes).catch((x: unknown) => x)) as WardClerkError;
    expect(err.code).toBe('INVALID_PDF');
    expect(bytes.byteLength).toBe(16);
  });
});
