/**
 * Scanned-PDF support: renders PDF pages to PNG with PDF.js (the build bundled in `unpdf`) on a
 * canvas from @napi-rs/canvas (ships its own binary; no system libraries), one page at a time so a
 * long scan never holds every page bitmap at once. Also answers whether a PDF already has a text
 * layer, so callers can skip OCR for born-digital PDFs.
 */
import { WardClerkError } from '../../core/errors.js';
import { throwIfAborted } from '../providers/throw-if-aborted.js';

export interface RasterizedPage {
  /** 0-based page index. */
  index: number;
  png: Uint8Array;
  width: number;
  height: number;
}

export interface RasterizeOptions {
  /** Render resolution; default 200 (tesseract wants roughly 200–300 dpi). */
  dpi?: number;
  /** Longest side cap in pixels, so a poster-sized page cannot exhaust memory; default 4000. */
  maxSide?: number;
  /** Stop after this many pages; default all. */
  maxPages?: number;
  signal?: AbortSignal;
}

type PdfDoc = Awaited<ReturnType<typeof import('unpdf').getDocumentProxy>>;

/** Opens a PDF; PDF.js detaches the buffer it is given, so it gets a copy. Bad bytes → INVALID_PDF. */
async function openPdf(bytes: Uint8Array): Promise<PdfDoc> {
  const { getDocumentProxy } = await import('unpdf');
  try {
    return await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (e) {
    throw new WardClerkError('INVALID_PDF', 'the PDF could not be read', { cause: e });
  }
}

/** Number of pages; `INVALID_PDF` when the bytes are not a readable PDF. */
export async function pdfPageCount(bytes: Uint8Array): Promise<number> {
  const pdf = await openPdf(bytes);
  try {
    return pdf.numPages;
  } finally {
    await pdf.destroy();
  }
}

/**
 * True when the PDF carries a text layer with at least `minChars` non-space characters per page on
 * average (a scan with a stray OCR'd header does not count). `INVALID_PDF` on unreadable bytes.
 */
export async function pdfHasTextLayer(bytes: Uint8Array, options: { minCharsPerPage?: number } = {}): Promise<boolean> {
  const pdf = await openPdf(bytes);
  try {
    let chars = 0;
    for (let p = 1; p <= pdf.numPages; p++) {
      const content = await (await pdf.getPage(p)).getTextContent();
      for (const item of content.items) if ('str' in item) chars += item.str.replace(/\s+/g, '').length;
    }
    return chars >= (options.minCharsPerPage ?? 16) * pdf.numPages;
  } finally {
    await pdf.destroy();
  }
}

/** Renders each page to PNG, in order. The signal is checked before each page. */
export async function* rasterizePdf(bytes: Uint8Array, options: RasterizeOptions = {}): AsyncGenerator<RasterizedPage> {
  const { createIsomorphicCanvasFactory } = await import('unpdf');
  const Factory = await createIsomorphicCanvasFactory(() => import('@napi-rs/canvas'));
  const pdf = await openPdf(bytes);
  try {
    const pages = Math.min(pdf.numPages, options.maxPages ?? Infinity);
    for (let p = 1; p <= pages; p++) {
      throwIfAborted(options.signal);
      const page = await pdf.getPage(p);
      const base = page.getViewport({ scale: 1 });
      let scale = (options.dpi ?? 200) / 72;
      const maxSide = options.maxSide ?? 4000;
      scale = Math.min(scale, maxSide / Math.max(base.width, base.height));
      const viewport = page.getViewport({ scale });
      const factory = new Factory();
      const dc = factory.create(Math.ceil(viewport.width), Math.ceil(viewport.height)) as {
        canvas: { width: number; height: number; encode(f: 'png'): Promise<Uint8Array> };
        context: CanvasRenderingContext2D;
      };
      try {
        // Scans may have transparent regions; OCR wants black on white.
        dc.context.fillStyle = '#ffffff';
        dc.context.fillRect(0, 0, dc.canvas.width, dc.canvas.height);
        await page.render({ canvas: dc.canvas as unknown as HTMLCanvasElement, canvasContext: dc.context, viewport }).promise;
        const png = await dc.canvas.encode('png');
        yield { index: p - 1, png, width: dc.canvas.width, height: dc.canvas.height };
      } finally {
        factory.destroy(dc as never);
        page.cleanup();
      }
    }
  } finally {
    await pdf.destroy();
  }
}
