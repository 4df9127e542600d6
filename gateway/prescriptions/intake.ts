/**
 * Turns a prescription request body into note text, by content type: JSON `{text,…}`, a
 * multipart upload (field `file`), a raw `application/pdf`, `text/plain` or image body. PNG, JPEG
 * and TIFF photos and PDFs without a text layer are read by an engine's OCR (`c.get('ocr')`, see
 * gateway/engines/ocr-port.ts); 415 OCR_NOT_AVAILABLE remains for when no engine has OCR (or the
 * app was built without it). The recognised text then goes through the normal extraction.
 */
import type { Context } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { OcrInputMime, OcrPort } from '../engines/ocr-port.js';
import type { AppEnv } from '../http/app-env.js';
import { decodeUtf8, readBodyBytes, readJsonBody } from '../http/json-body.js';
import { looksLikePdf, pdfText } from './pdf-text.js';
import { MAX_FILE_BYTES, MAX_JSON_BYTES, PrescriptionInputSchema } from './schemas.js';
import type { SubmitInput } from './submit.js';

const IMAGE_TYPES = /^image\/(png|jpe?g|tiff?|gif|bmp|webp|heic)$/i;
const OCR_IMAGE_TYPES: Record<string, OcrInputMime> = { 'image/png': 'image/png', 'image/jpeg': 'image/jpeg', 'image/jpg': 'image/jpeg', 'image/tiff': 'image/tiff', 'image/tif': 'image/tiff' };
const ACCEPTED = ['application/json', 'text/plain', 'application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'multipart/form-data'];

function ocrNotAvailable(): WardClerkError {
  return new WardClerkError('OCR_NOT_AVAILABLE', 'Images and scanned documents need OCR, and no inference engine offers it', {
    details: { accepted: ['application/json', 'text/plain', 'application/pdf (with a text layer)', 'multipart/form-data'] },
  });
}

type FileText = { text: string; source: 'text' | 'pdf' | 'image'; ocrConfidence?: number };

async function ocrText(ocr: OcrPort | undefined, bytes: Uint8Array, mime: OcrInputMime): Promise<FileText> {
  if (!ocr) throw ocrNotAvailable();
  const read = await ocr(bytes, mime);
  return { text: read.text, source: mime === 'application/pdf' ? 'pdf' : 'image', ocrConfidence: read.confidence };
}

function validateInput(value: unknown): Omit<SubmitInput, 'source'> {
  const parsed = PrescriptionInputSchema.safeParse(value);
  if (!parsed.success) {
    const tooLong = parsed.error.issues.some((i) => i.code === 'too_big' && i.path[0] === 'text');
    if (tooLong) throw new WardClerkError('PAYLOAD_TOO_LARGE', 'The note text is too long');
    throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  return parsed.data;
}

async function fileToText(bytes: Uint8Array, mime: string, ocr: OcrPort | undefined): Promise<FileText> {
  if (bytes.byteLength === 0) throw new WardClerkError('EMPTY_TEXT', 'The uploaded file is empty');
  const imageMime = OCR_IMAGE_TYPES[mime.toLowerCase()];
  if (imageMime) return ocrText(ocr, bytes, imageMime);
  if (IMAGE_TYPES.test(mime)) throw new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported image type; send PNG, JPEG or TIFF', { details: { mime, accepted: ACCEPTED } });
  if (/pdf/i.test(mime) || looksLikePdf(bytes)) {
    try {
      return { text: (await pdfText(bytes)).text, source: 'pdf' };
    } catch (e) {
      // pdfText reports a PDF without a text layer (a scan) as OCR_NOT_AVAILABLE: OCR it.
      if (e instanceof WardClerkError && e.code === 'OCR_NOT_AVAILABLE') return ocrText(ocr, bytes, 'application/pdf');
      throw e;
    }
  }
  if (mime === '' || /^text\//i.test(mime) || mime === 'application/octet-stream') return { text: decodeUtf8(bytes), source: 'text' };
  throw new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported file type', { details: { mime } });
}

function optionalField(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Parses a multipart body; a malformed one (bad boundary, truncated part) is 400 INVALID_MULTIPART. */
export async function parseMultipart(c: Context<AppEnv>): Promise<Record<string, string | File | (string | File)[]>> {
  try {
    return await c.req.parseBody();
  } catch (e) {
    if (e instanceof WardClerkError) throw e;
    throw new WardClerkError('INVALID_MULTIPART', 'The multipart/form-data body is malformed', { cause: e });
  }
}

/** Reads and validates the body of POST /api/v1/prescriptions (and the legacy alias). */
export async function readPrescriptionRequest(c: Context<AppEnv>): Promise<SubmitInput> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('application/json') || type === '') {
    return { ...validateInput(await readJsonBody(c, MAX_JSON_BYTES)), source: 'text' };
  }
  if (type.startsWith('multipart/form-data')) {
    await readBodyBytes(c, MAX_FILE_BYTES + 64 * 1024);
    const form = await parseMultipart(c);
    const file = form['file'];
    if (!(file instanceof File)) {
      throw new WardClerkError('VALIDATION_FAILED', 'Expected a file in the form field "file"', { details: { field: 'file' } });
    }
    const { text, source, ocrConfidence } = await fileToText(new Uint8Array(await file.arrayBuffer()), file.type, c.get('ocr'));
    const rest = validateInput({ text, patient_ref: optionalField(form['patient_ref']), doctor: optionalField(form['doctor']), external_id: optionalField(form['external_id']) });
    return { ...rest, source, ocrConfidence };
  }
  if (type.startsWith('application/pdf') || type.startsWith('text/plain') || IMAGE_TYPES.test(type.split(';')[0] ?? '')) {
    const { text, source, ocrConfidence } = await fileToText(await readBodyBytes(c, MAX_FILE_BYTES), (type.split(';')[0] ?? '').trim(), c.get('ocr'));
    const rest = validateInput({ text, patient_ref: optionalField(c.req.header('x-patient-ref')), doctor: optionalField(c.req.header('x-doctor')) });
    return { ...rest, source, ocrConfidence };
  }
  throw new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type', {
    details: { accepted: ACCEPTED },
  });
}
