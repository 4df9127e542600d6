/**
 * /api/v1/patients/{id}/documents: upload (tier 1 before the answer, then 202 with the job, or
 * 200 with the existing document for the same file), list with filters, read one with its
 * extraction, download the original, delete. Thin wrappers over service.ts; a patient the caller
 * may not see is 404 NOT_FOUND, as for one that does not exist.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, metadata, ok, successEnvelope } from '../http/envelope.js';
import { PatientParam } from '../care-plans/schemas.js';
import { readDocumentUpload } from './intake.js';
import { DocumentAcceptedSchema, DocumentDetailSchema, DocumentListQuery, DocumentParam, DocumentViewSchema, UploadFieldsSchema, documentView } from './schemas.js';
import { deleteDocument, getDocumentDetail, listDocuments, readDocumentFile, uploadDocument } from './service.js';

const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema: successEnvelope(schema) } } });
const READ = 'The patient themself, doctors and nurses assigned to them, tenant admins, and API clients with patients:read. Anyone else gets 404, as for a patient that does not exist.';
const WRITE = 'The patient themself, doctors and nurses assigned to them, and API clients with patients:write (tenant admins 403). Anyone else gets 404.';

export function registerDocumentRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);
  const binary = { schema: z.any().openapi({ type: 'string', format: 'binary' }) };
  const base = '/api/v1/patients/{id}/documents';

  // The body is read by intake.ts after the access check, so the route is declared for OpenAPI only.
  app.openAPIRegistry.registerPath({
    method: 'post', path: base, summary: 'Upload a patient document (PDF, DOCX, PNG/JPEG/TIFF, plain text)',
    description: `${WRITE} Multipart (field "file", with "type" and optional "clinical_date" as fields) or the file as the raw body (any Content-Type; type and clinical_date as query parameters). What the file is comes from its bytes, not its Content-Type. Up to 50 MB and 300 pages. Tier 1 runs before the answer: 400 EMPTY_FILE, 400 EMPTY_TEXT, 400 INVALID_PDF, 400 ENCRYPTED_PDF, 400 INVALID_DOCX, 400 INVALID_IMAGE, 413 ARCHIVE_TOO_LARGE (a ZIP bomb), 413 TOO_MANY_PAGES, 413 IMAGE_TOO_LARGE, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE — nothing stored. The same file again for the same patient: 200 with the existing document. Otherwise 202 with the job; the document moves RECEIVED → INGESTED → ANALYZING → INDEXED (or FAILED with a code), announced as document.status (WebSocket: the patient and the care team; webhooks).`,
    security: [{ bearerAuth: [] }],
    request: {
      params: PatientParam, query: UploadFieldsSchema,
      body: { required: true, content: { 'multipart/form-data': { schema: UploadFieldsSchema.extend({ file: binary.schema }) }, 'application/octet-stream': binary, 'application/pdf': binary, 'image/png': binary, 'image/jpeg': binary, 'image/tiff': binary, 'text/plain': { schema: z.string() } } },
    },
    responses: {
      200: { description: 'The same file was already this patient\'s document', ...json(DocumentViewSchema) },
      202: { description: 'Accepted', content: { 'application/json': { schema: DocumentAcceptedSchema } } },
      ...errorResponses(400, 401, 403, 404, 413, 415, 503),
    },
  });
  app.post('/api/v1/patients/:id/documents', auth, async (c) => {
    const { created, document } = await uploadDocument(deps, c.get('principal'), c.req.param('id'), () => readDocumentUpload(c));
    if (!created) return ok(c, documentView(document));
    const status_url = `/api/v1/patients/${document.patient_id}/documents/${document.document_id}`;
    return c.json({ status: 'accepted' as const, job_id: document.job_id, document_id: document.document_id, status_url, metadata: metadata(c) }, 202);
  });

  app.openapi(
    createRoute({
      method: 'get', path: base, summary: "A patient's documents (oldest first), filtered by type and date", description: READ,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: PatientParam, query: DocumentListQuery },
      responses: { 200: { description: 'A page of documents', ...json(z.object({ items: z.array(DocumentViewSchema), next_cursor: z.string().nullable() })) }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const p = await listDocuments(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('query'));
      return ok(c, { items: p.items.map(documentView), next_cursor: p.next_cursor });
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: `${base}/{doc_id}`, summary: 'One document: status, pages (text source, OCR confidence) and extraction', description: READ,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: DocumentParam },
      responses: { 200: { description: 'The document', ...json(DocumentDetailSchema) }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      const { id, doc_id } = c.req.valid('param');
      const { doc, extraction } = await getDocumentDetail(deps, c.get('principal'), id, doc_id);
      return ok(c, { ...documentView(doc), extraction: extraction?.extraction ?? null, locations: extraction?.locations ?? [] });
    },
  );

  app.openAPIRegistry.registerPath({
    method: 'get', path: `${base}/{doc_id}/file`, summary: 'The original file, with its content type', description: READ,
    security: [{ bearerAuth: [] }], request: { params: DocumentParam },
    responses: { 200: { description: 'The bytes as uploaded', content: { 'application/octet-stream': binary } }, ...errorResponses(401, 404) },
  });
  app.get('/api/v1/patients/:id/documents/:doc_id/file', auth, async (c) => {
    const { doc, body } = await readDocumentFile(deps, c.get('principal'), c.req.param('id'), c.req.param('doc_id'));
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': doc.content_type, 'content-length': String(doc.size_bytes), 'content-disposition': 'attachment',
        'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
      },
    });
  });

  app.openapi(
    createRoute({
      method: 'delete', path: `${base}/{doc_id}`, summary: 'Delete a document with its file, extraction, chunks and vectors', description: WRITE,
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { params: DocumentParam },
      responses: { 200: { description: 'Deleted', ...json(z.object({ document_id: z.string(), deleted: z.literal(true) })) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, doc_id } = c.req.valid('param');
      await deleteDocument(deps, c.get('principal'), id, doc_id);
      return ok(c, { document_id: doc_id, deleted: true as const });
    },
  );
}
