/**
 * Ingest step of the documents pipeline (RECEIVED → INGESTED): the original is read back from the
 * store part by part (`wc.store.document.part`) and turned into text page by page — a PDF page's
 * own text layer when it holds real text, else the page rendered and OCRed on an engine; every
 * frame of an image OCRed; DOCX and plain text read as they are (core/documents). Each page keeps
 * where its text came from and, for OCR, the engine's confidence (0–1).
 *
 * Permanent failures are coded for the document (UNREADABLE, ENCRYPTED_PDF,
 * OCR_CONFIDENCE_TOO_LOW, OCR_NOT_AVAILABLE); engine and store trouble stays a transient error.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import type { Bus } from '../core/bus.js';
import { MAX_OCR_BYTES, contracts, type DocumentMessage } from '../core/contracts.js';
import { docxPages } from '../core/documents/docx-text.js';
import type { DocumentFormat, DocumentPage, PageText } from '../core/documents/records.js';
import { textPages } from '../core/documents/text-pages.js';
import { WardClerkError, isWardClerkError } from '../core/errors.js';
import { rasterizePdf } from '../engine/ocr/rasterize-pdf.js';
import { MAX_IMAGE_PIXELS } from '../engine/serve/sanitize-image.js';
import { hasRealText } from '../gateway/prescriptions/pdf-text.js';

/** A document OCRed throughout whose best page reads below this (0–1) fails OCR_CONFIDENCE_TOO_LOW. */
export const MIN_OCR_CONFIDENCE = 0.4;

export interface IngestedPage extends PageText {
  text_source: DocumentPage['text_source'];
  ocr_confidence: number | null;
}

export interface IngestDeps {
  bus: Bus;
  engineTimeoutMs: number;
}

/** A failure of the document itself (not worth a retry), with the code it is failed with. */
export class DocumentFailure extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'DocumentFailure';
    this.code = code;
  }
}

async function readOriginal(deps: IngestDeps, ref: DocumentMessage, parts: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for (let part = 0; part < parts; part++) {
    const { bytes_b64 } = await deps.bus.request(contracts.documentPart, { ...ref, part });
    chunks.push(Buffer.from(bytes_b64, 'base64'));
  }
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

/** One image (a rendered page, a photo frame) read by an engine's OCR. */
async function ocrImage(deps: IngestDeps, ref: DocumentMessage, bytes: Uint8Array): Promise<{ text: string; confidence: number }> {
  let mime: 'image/png' | 'image/jpeg' = 'image/png';
  let body = bytes;
  if (body.byteLength > MAX_OCR_BYTES) {
    // A large page or photo still fits the bus as JPEG (the engine re-encodes what it gets anyway).
    const sharp = (await import('sharp')).default;
    body = new Uint8Array(await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).jpeg({ quality: 85 }).toBuffer());
    mime = 'image/jpeg';
  }
  try {
    const reply = await deps.bus.request(contracts.engineOcr, { mime, bytes_b64: Buffer.from(body).toString('base64') }, { timeoutMs: deps.engineTimeoutMs });
    const text = reply.pages.map((p) => p.text).join('\n');
    const confidence = reply.pages.length ? Math.min(...reply.pages.map((p) => p.confidence)) / 100 : 0;
    return { text, confidence: Math.min(1, Math.max(0, confidence)) };
  } catch (e) {
    if (isWardClerkError(e) && e.code === 'OCR_NOT_AVAILABLE') throw new DocumentFailure('OCR_NOT_AVAILABLE', 'The document needs OCR and no engine offers it');
    if (isWardClerkError(e) && e.code === 'INVALID_IMAGE') throw new DocumentFailure('UNREADABLE', 'An image of the document could not be decoded');
    throw e;
  }
}

async function pdfPages(deps: IngestDeps, ref: DocumentMessage, bytes: Uint8Array, onPage: () => void): Promise<IngestedPage[]> {
  let layer: string[];
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    layer = (await extractText(pdf, { mergePages: false })).text as string[];
    await pdf.destroy();
  } catch (e) {
    if ((e as { name?: string }).name === 'PasswordException') throw new DocumentFailure('ENCRYPTED_PDF', 'The PDF is protected by a password');
    throw new DocumentFailure('UNREADABLE', 'The PDF could not be read');
  }
  const pages: IngestedPage[] = layer.map((text, i) => ({ page: i + 1, text, text_source: 'text_layer', ocr_confidence: null }));
  const scanned = new Set(pages.filter((p) => !hasRealText(p.text)).map((p) => p.page));
  if (scanned.size === 0) return pages;
  try {
    for await (const r of rasterizePdf(bytes, { dpi: 200, maxSide: 4000 })) {
      const page = pages[r.index]!;
      if (!scanned.has(page.page)) continue;
      const read = await ocrImage(deps, ref, r.png);
      pages[r.index] = { page: page.page, text: read.text, text_source: 'ocr', ocr_confidence: read.confidence };
      onPage();
    }
  } catch (e) {
    if (e instanceof DocumentFailure || (isWardClerkError(e) && e.status >= 500)) throw e;
    throw new DocumentFailure('UNREADABLE', 'A page of the PDF could not be rendered');
  }
  return pages;
}

async function imagePages(deps: IngestDeps, ref: DocumentMessage, bytes: Uint8Array, onPage: () => void): Promise<IngestedPage[]> {
  const sharp = (await import('sharp')).default;
  let frames: number;
  try {
    frames = (await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata()).pages ?? 1;
  } catch {
    throw new DocumentFailure('UNREADABLE', 'The image could not be decoded');
  }
  const pages: IngestedPage[] = [];
  for (let i = 0; i < frames; i++) {
    let png: Uint8Array;
    try {
      png = new Uint8Array(await sharp(bytes, { page: i, limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
        .resize({ width: 4000, height: 4000, fit: 'inside', withoutEnlargement: true }).png({ compressionLevel: 1 }).toBuffer());
    } catch {
      throw new DocumentFailure('UNREADABLE', 'The image could not be decoded');
    }
    const read = await ocrImage(deps, ref, png);
    pages.push({ page: i + 1, text: read.text, text_source: 'ocr', ocr_confidence: read.confidence });
    onPage();
  }
  return pages;
}

/** Reads the document's pages (see the module comment). `onPage` is called as each OCR page is done. */
export async function ingestDocument(
  deps: IngestDeps, ref: DocumentMessage, doc: { format: DocumentFormat; blob_parts: number; page_count: number }, onPage: () => void = () => undefined,
): Promise<IngestedPage[]> {
  const bytes = await readOriginal(deps, ref, doc.blob_parts);
  const asText = (texts: string[]): IngestedPage[] => texts.map((text, i) => ({ page: i + 1, text, text_source: 'text_layer', ocr_confidence: null }));
  let pages: IngestedPage[];
  switch (doc.format) {
    case 'text':
      pages = asText(textPages(new TextDecoder('utf-8', { fatal: false }).decode(bytes)));
      break;
    case 'docx':
      try {
        pages = asText(docxPages(bytes));
      } catch (e) {
        if (isWardClerkError(e)) throw new DocumentFailure('UNREADABLE', 'The DOCX file could not be read');
        throw e;
      }
      break;
    case 'pdf':
      pages = await pdfPages(deps, ref, bytes, onPage);
      break;
    default:
      pages = await imagePages(deps, ref, bytes, onPage);
  }
  if (pages.length !== doc.page_count) throw new WardClerkError('INTERNAL', 'The pages read do not match the pages counted at upload', { details: { pages: pages.length, expected: doc.page_count } });
  if (pages.every((p) => p.text.trim() === '')) throw new DocumentFailure('UNREADABLE', 'No text could be read from the document');
  const ocr = pages.filter((p) => p.text_source === 'ocr');
  if (ocr.length === pages.length && Math.max(...ocr.map((p) => p.ocr_confidence ?? 0)) < MIN_OCR_CONFIDENCE) {
    throw new DocumentFailure('OCR_CONFIDENCE_TOO_LOW', 'Every page was read by OCR, none well enough to trust');
  }
  return pages;
}
