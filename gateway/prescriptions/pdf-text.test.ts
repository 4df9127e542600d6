import fc from 'fast-check';
import { createCanvas, loadImage, PDFDocument } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { renderPrescriptionPng, renderTextPdf } from '../../test/render-prescription.js';
import { hasRealText, pdfText } from './pdf-text.js';

/** A scan as scanners write them: the page image plus an invisible text layer of leftovers. */
async function scanWithJunkLayer(junk: string): Promise<Buffer> {
  const img = await loadImage(await renderPrescriptionPng(['Amoxicillin 500 mg TDS x 5 days']));
  const doc = new PDFDocument({ title: 'scan' });
  const ctx = doc.beginPage(img.width * 0.36, img.height * 0.36) as unknown as ReturnType<ReturnType<typeof createCanvas>['getContext']>;
  ctx.drawImage(img, 0, 0, img.width * 0.36, img.height * 0.36);
  ctx.fillStyle = 'rgba(0,0,0,0)';
  ctx.font = '8px sans-serif';
  ctx.fillText(junk, 4, 10);
  doc.endPage();
  return doc.close();
}

describe('pdfText', () => {
  it('returns the text layer of a born-digital PDF', async () => {
    const { text, pages } = await pdfText(renderTextPdf(['Metformin 500 mg BID for T2DM']));
    expect(pages).toBe(1);
    expect(text).toContain('Metformin 500 mg BID');
  });

  it('sends a scan whose text layer holds only leftovers (page numbers, dots) to OCR instead of EMPTY_TEXT', async () => {
    for (const junk of ['- 1 -', '. . . . . . . .', 'Page 1 of 1', 'Scanned image']) {
      await expect(pdfText(await scanWithJunkLayer(junk))).rejects.toMatchObject({ code: 'OCR_NOT_AVAILABLE', details: { pages: 1 } });
    }
  });

  it('refuses what is not a PDF', async () => {
    await expect(pdfText(new TextEncoder().encode('hello'))).rejects.toMatchObject({ code: 'INVALID_PDF' });
  });
});

describe('hasRealText', () => {
  it('tells words from scanner leftovers', () => {
    expect(hasRealText('Tab. Pan 40 1-0-1')).toBe(true);
    expect(hasRealText('Rx Amoxil')).toBe(true);
    for (const junk of ['', '   \n\n ', '\u200b\u200b\u200b\u200b', '- 1 -\n\n- 2 -', '1/1 2/2 3/3 4/4', '........', '\u0000\u0001\u0002 ab', 'Page 1 of 2\n\nPage 2 of 2', 'SCANNED DOCUMENT']) {
      expect(hasRealText(junk)).toBe(false);
    }
  });

  it('never counts text without letters as real, whatever its length', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(' ', '.', '-', '/', '1', '7', '\n', '\u200b', '\f') }), (s) => !hasRealText(s)));
  });
});
