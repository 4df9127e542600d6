/**
 * The `OcrModel` interface: image or scanned-PDF bytes in, pages of text with per-page confidence
 * and word boxes out. Backends: tesseract (local) and textract (AWS). Callers never branch on it.
 *
 * Confidences are 0–100 (tesseract's and Textract's native scale). Boxes are in pixels of the
 * page image as OCR'd for tesseract and in pixels of a 1000×1000 page for Textract (whose native
 * boxes are page ratios): compare boxes within one page only.
 */
export type OcrMime = 'image/png' | 'image/jpeg' | 'image/tiff' | 'application/pdf';

export const OCR_MIME_TYPES: readonly OcrMime[] = ['image/png', 'image/jpeg', 'image/tiff', 'application/pdf'];

export interface OcrBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  confidence: number;
  bbox: OcrBox;
}

export interface OcrPage {
  /** 0-based page index in the document. */
  index: number;
  /** Lines separated by `\n`, in reading order. */
  text: string;
  /** Mean word confidence 0–100 (0 for a page without words). */
  confidence: number;
  words: OcrWord[];
  /** Clockwise quarter turn applied before reading (a scan fed in sideways); 0 when upright. */
  rotation?: 0 | 90 | 180 | 270;
}

export interface RecognizeOptions {
  bytes: Uint8Array;
  mime: OcrMime;
  signal?: AbortSignal;
}

export interface OcrResult {
  pages: OcrPage[];
}

export interface OcrModel {
  readonly provider: string;
  readonly modelId: string;
  readonly version: string;
  recognize(options: RecognizeOptions): Promise<OcrResult>;
  /** Stops workers or clients the model owns. Safe to call twice. */
  close?(): Promise<void>;
}

/** True when `mime` is one the OCR models accept. */
export function isOcrMime(mime: string): mime is OcrMime {
  return (OCR_MIME_TYPES as readonly string[]).includes(mime);
}
