/**
 * What an upload is, by its magic bytes — never by the client's content type or file name: PDF
 * (`%PDF-` within the first KiB, as readers tolerate), a ZIP that holds `word/document.xml`
 * (DOCX), PNG, JPEG, TIFF, or else UTF-8 text that is not binary. Anything else is 415.
 */
import type { DocumentFormat } from '../../core/documents/records.js';
import { WardClerkError } from '../../core/errors.js';
import { looksLikeZip } from '../../core/documents/zip-reader.js';
import { looksBinary } from '../care-plans/service.js';
import { looksLikePdf } from '../prescriptions/pdf-text.js';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The accepted formats, for error details. */
export const ACCEPTED_FORMATS = ['application/pdf', 'DOCX', 'image/png', 'image/jpeg', 'image/tiff', 'text/plain (UTF-8)'];

function unsupported(reason: string): WardClerkError {
  return new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported file type', { details: { reason, accepted: ACCEPTED_FORMATS } });
}

/** The format of non-empty `bytes`; for text also the decoded string. UNSUPPORTED_MEDIA_TYPE for anything else. */
export function sniffFormat(bytes: Uint8Array): { format: Exclude<DocumentFormat, 'text'> } | { format: 'text'; text: string } {
  if (startsWith(bytes, PNG)) return { format: 'png' };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { format: 'jpeg' };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return { format: 'tiff' };
  if (looksLikeZip(bytes)) return { format: 'docx' }; // inspect-upload.ts checks the archive before anything else
  if (looksLikePdf(bytes)) return { format: 'pdf' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw unsupported('binary');
  }
  if (looksBinary(text)) throw unsupported('binary');
  return { format: 'text', text };
}
