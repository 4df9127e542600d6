/**
 * Tier 1 of the documents pipeline, before the upload is answered: what the bytes are (sniff.ts)
 * and whether the appliance will take them — an empty file, a PDF that is corrupt or needs a
 * password, a DOCX that is a ZIP bomb or no Word document, an image too large to decode, or more
 * than MAX_DOCUMENT_PAGES pages are coded 4xx errors, and nothing is stored. The same guards the
 * rest of the appliance uses: the PDF reader of prescriptions, the engine's decoded-pixel limit.
 */
import { createHash } from 'node:crypto';
import { getDocumentProxy } from 'unpdf';
import { docxPages } from '../../core/documents/docx-text.js';
import type { DocumentFormat } from '../../core/documents/records.js';
import { textPages } from '../../core/documents/text-pages.js';
import { WardClerkError } from '../../core/errors.js';
import { MAX_IMAGE_PIXELS } from '../../engine/serve/sanitize-image.js';
import { sniffFormat } from './sniff.js';

/** Largest document accepted. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
/** Most pages of one document (PDF pages, image frames, DOCX and text pages). */
export const MAX_DOCUMENT_PAGES = 300;

export interface InspectedUpload {
  format: DocumentFormat;
  pageCount: number;
  sha256: string;
}

function tooManyPages(pages: number): WardClerkError {
  return new WardClerkError('TOO_MANY_PAGES', `A document may have at most ${MAX_DOCUMENT_PAGES} pages`, { details: { pages, max_pages: MAX_DOCUMENT_PAGES } });
}

/** Pages of a PDF; ENCRYPTED_PDF when it needs a password, INVALID_PDF when it cannot be read. */
async function pdfPages(bytes: Uint8Array): Promise<number> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (e) {
    if ((e as { name?: string }).name === 'PasswordException') {
      throw new WardClerkError('ENCRYPTED_PDF', 'The PDF is protected by a password', { details: { reason: 'password_required' } });
    }
    throw new WardClerkError('INVALID_PDF', 'The PDF could not be read', { details: { reason: 'unreadable' }, cause: e });
  }
  try {
    return pdf.numPages;
  } finally {
    await pdf.destroy();
  }
}

/** Frames of an image, read from its header only; IMAGE_TOO_LARGE past the decoded-pixel limit. */
async function imagePages(bytes: Uint8Array): Promise<number> {
  const sharp = (await import('sharp')).default;
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new WardClerkError('INVALID_IMAGE', 'The image could not be decoded', { details: { reason: 'invalid_image' }, cause });
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new WardClerkError('INVALID_IMAGE', 'The image could not be decoded', { details: { reason: 'no_dimensions' } });
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new WardClerkError('IMAGE_TOO_LARGE', 'The image has more pixels than the appliance decodes', { details: { width, height, max_pixels: MAX_IMAGE_PIXELS } });
  }
  return meta.pages ?? 1;
}

/** Checks an upload (see the module comment) and returns its format, page count and SHA-256. */
export async function inspectUpload(bytes: Uint8Array): Promise<InspectedUpload> {
  if (bytes.byteLength === 0) throw new WardClerkError('EMPTY_FILE', 'The uploaded file is empty');
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
    throw new WardClerkError('PAYLOAD_TOO_LARGE', `A document may be at most ${MAX_DOCUMENT_BYTES} bytes`, { details: { max_bytes: MAX_DOCUMENT_BYTES } });
  }
  const sniffed = sniffFormat(bytes);
  let pageCount: number;
  switch (sniffed.format) {
    case 'pdf':
      pageCount = await pdfPages(bytes);
      break;
    case 'docx':
      pageCount = docxPages(bytes).length;
      break;
    case 'png':
    case 'jpeg':
    case 'tiff':
      pageCount = await imagePages(bytes);
      break;
    case 'text':
      if (sniffed.text.trim() === '') throw new WardClerkError('EMPTY_TEXT', 'The document holds no text');
      pageCount = textPages(sniffed.text).length;
      break;
  }
  if (pageCount < 1) throw new WardClerkError('INVALID_PDF', 'The PDF has no pages', { details: { reason: 'no_pages' } });
  if (pageCount > MAX_DOCUMENT_PAGES) throw tooManyPages(pageCount);
  return { format: sniffed.format, pageCount, sha256: createHash('sha256').update(bytes).digest('hex') };
}
