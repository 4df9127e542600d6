/**
 * Renders printed-prescription test images with @napi-rs/canvas: PNG (optionally rotated or in
 * low contrast) and image-only "scanned" PDFs, for OCR tests and benchmarks. Uses DejaVu Sans when
 * the system has it, so output does not depend on Skia's fallback font.
 */
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts, loadImage, PDFDocument } from '@napi-rs/canvas';

const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
let fontFamily: string | undefined;
function font(): string {
  if (fontFamily === undefined) {
    fontFamily = existsSync(DEJAVU) && GlobalFonts.registerFromPath(DEJAVU, 'WcTestSans') ? 'WcTestSans' : 'sans-serif';
  }
  return fontFamily;
}

export interface RenderOptions {
  /** Clockwise quarter turn applied to the finished image (a page scanned sideways). */
  rotate?: 0 | 90 | 180 | 270;
  /** Ink and paper colours; a low-contrast scan is e.g. ink '#9a9a9a' on paper '#b4b4b4'. */
  ink?: string;
  paper?: string;
  fontSize?: number;
  width?: number;
}

/** Renders `lines` as a PNG image. */
export async function renderPrescriptionPng(lines: string[], o: RenderOptions = {}): Promise<Buffer> {
  const size = o.fontSize ?? 28;
  const width = o.width ?? 1100;
  const lineH = Math.round(size * 1.6);
  const height = lineH * lines.length + size * 2;
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  ctx.fillStyle = o.paper ?? '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = o.ink ?? '#111111';
  ctx.font = `${size}px ${font()}`;
  ctx.textBaseline = 'top';
  lines.forEach((l, i) => ctx.fillText(l, size, size + i * lineH));
  const rot = o.rotate ?? 0;
  if (rot === 0) return c.encode('png');
  const swap = rot !== 180;
  const r = createCanvas(swap ? height : width, swap ? width : height);
  const rc = r.getContext('2d');
  rc.translate(r.width / 2, r.height / 2);
  rc.rotate((rot * Math.PI) / 180);
  rc.drawImage(c, -width / 2, -height / 2);
  return r.encode('png');
}

/** Builds an image-only PDF (no text layer), one PNG per page, each page sized to its image at 200 dpi. */
export async function renderScannedPdf(pngs: Buffer[]): Promise<Buffer> {
  const doc = new PDFDocument({ title: 'scan' });
  for (const png of pngs) {
    const img = await loadImage(png);
    const w = (img.width * 72) / 200;
    const h = (img.height * 72) / 200;
    // beginPage's declared type is the DOM context (lib "DOM" wins); at runtime it is Skia's.
    const ctx = doc.beginPage(w, h) as unknown as ReturnType<ReturnType<typeof createCanvas>['getContext']>;
    ctx.drawImage(img, 0, 0, w, h);
    doc.endPage();
  }
  return doc.close();
}

/** Builds a born-digital PDF with a real text layer (for `pdfHasTextLayer`). */
export function renderTextPdf(lines: string[]): Buffer {
  const doc = new PDFDocument({ title: 'typed' });
  const ctx = doc.beginPage(595, 842);
  ctx.fillStyle = '#000000';
  ctx.font = `12px ${font()}`;
  lines.forEach((l, i) => ctx.fillText(l, 50, 80 + i * 18));
  doc.endPage();
  return doc.close();
}
