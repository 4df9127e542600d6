/**
 * Reads a document upload: multipart/form-data (field `file`, with `type` and `clinical_date` as
 * form fields or query parameters), or the file as the raw body with any content type (fields in
 * the query). The client's content type is not trusted: tier 1 sniffs the bytes.
 */
import type { Context } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { readBodyBytes } from '../http/json-body.js';
import { parseMultipart } from '../prescriptions/intake.js';
import { MAX_DOCUMENT_BYTES } from './inspect-upload.js';
import { UploadFieldsSchema } from './schemas.js';
import type { DocumentUpload } from './service.js';

/** The upload body with its form fields and boundaries. */
export const MAX_UPLOAD_BODY_BYTES = MAX_DOCUMENT_BYTES + 64 * 1024;

function field(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function checkFields(type: string | undefined, clinicalDate: string | undefined): { type: DocumentUpload['type']; clinicalDate: string | null } {
  const parsed = UploadFieldsSchema.safeParse({ type, ...(clinicalDate === undefined ? {} : { clinical_date: clinicalDate }) });
  if (!parsed.success) {
    throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  return { type: parsed.data.type, clinicalDate: parsed.data.clinical_date ?? null };
}

/** Reads and checks the request (fields first, so a bad field costs no upload). */
export async function readDocumentUpload(c: Context<AppEnv>): Promise<DocumentUpload> {
  const contentType = (c.req.header('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    await readBodyBytes(c, MAX_UPLOAD_BODY_BYTES);
    const form = await parseMultipart(c);
    const fields = checkFields(field(form['type']) ?? c.req.query('type'), field(form['clinical_date']) ?? c.req.query('clinical_date'));
    const file = form['file'];
    if (!(file instanceof File)) throw new WardClerkError('VALIDATION_FAILED', 'Expected a file in the form field "file"', { details: { field: 'file' } });
    const name = file.name && file.name !== 'blob' ? file.name.slice(0, 255) : null;
    return { bytes: new Uint8Array(await file.arrayBuffer()), filename: name, ...fields };
  }
  const fields = checkFields(c.req.query('type'), c.req.query('clinical_date'));
  return { bytes: await readBodyBytes(c, MAX_DOCUMENT_BYTES), filename: null, ...fields };
}
