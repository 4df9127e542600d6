/**
 * Helpers of the documents integration tests: typed views of the API's answers, an upload call
 * (raw body or multipart), waiting for a document to settle (or uploading text until indexed), and
 * the raw LevelDB keys of the documents tables (read with the gateway stopped: LevelDB takes a
 * process lock).
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { Level } from 'level';
import { expect } from 'vitest';
import { call, until, type ApiError, type ApiResponse, type Envelope } from './api-client.js';

export interface DocumentPageView { page: number; text_source: 'text_layer' | 'ocr'; ocr_confidence: number | null; chars: number }
export interface DocumentView {
  document_id: string; patient_id: string; job_id: string; type: string; clinical_date: string | null; filename: string | null;
  format: string; content_type: string; size_bytes: number; sha256: string; page_count: number; status: string;
  failure: { code: string; message: string } | null; pages: DocumentPageView[]; chunk_count: number | null; embedding_space: string | null;
  analysis: { conditions: number; medications: number; observations: number; prescriber: boolean } | null;
  history: Array<{ status: string; at: string }>;
}
export interface DocumentDetail extends DocumentView {
  extraction: { medications: Array<{ name: string }>; diseases: Array<{ display: string }>; observations: Array<{ code: { code: string }; value: number | null }> } | null;
  locations: Array<{ path: string; page: number; start: number; end: number }>;
}
export interface DocumentAccepted { status: string; job_id: string; document_id: string; status_url: string; error: ApiError }

/** What an upload answers: 202 (accepted), 200 (the same file again: the document), or an error. */
export type UploadAnswer = DocumentAccepted & Envelope<DocumentView>;

export interface UploadOptions {
  token: string;
  type?: string;
  clinicalDate?: string;
  /** multipart/form-data with this file name; else the raw body. */
  filename?: string;
  /** The raw body's Content-Type (anything: the server sniffs). */
  contentType?: string;
}

/** POSTs `bytes` as a document of `patientId`. */
export function upload(base: string, patientId: string, bytes: Uint8Array, o: UploadOptions): Promise<ApiResponse<UploadAnswer>> {
  const url = `${base}/api/v1/patients/${patientId}/documents`;
  const body: Uint8Array<ArrayBuffer> = new Uint8Array(bytes); // a copy over a plain ArrayBuffer (what fetch bodies take)
  if (o.filename !== undefined) {
    const form = new FormData();
    form.append('file', new Blob([body]), o.filename);
    if (o.type) form.append('type', o.type);
    if (o.clinicalDate) form.append('clinical_date', o.clinicalDate);
    return call<UploadAnswer>(url, { method: 'POST', token: o.token, body: form });
  }
  const q = new URLSearchParams({ ...(o.type ? { type: o.type } : {}), ...(o.clinicalDate ? { clinical_date: o.clinicalDate } : {}) });
  return call<UploadAnswer>(`${url}?${q}`, { method: 'POST', token: o.token, headers: { 'content-type': o.contentType ?? 'application/octet-stream' }, body });
}

/**
 * Declares a raw-body upload of `declaredBytes` and sends only its first 64 KiB, over a raw socket:
 * the server must answer from the declared length. (fetch with a real 50 MB body races the early
 * answer: on a busy machine it can fail writing the rest before it reads the 413.)
 */
export function declareUpload(base: string, patientId: string, token: string, declaredBytes: number, type: string): Promise<{ status: number; code: string | undefined }> {
  const u = new URL(`${base}/api/v1/patients/${patientId}/documents?type=${type}`);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer to the declared upload within 10 s'));
    }, 10_000);
    const done = () => {
      const text = got.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? NaN);
      if (end < 0 || !Number.isFinite(length) || got.length < end + 4 + length) return false;
      clearTimeout(timer);
      socket.destroy();
      const body = JSON.parse(got.subarray(end + 4, end + 4 + length).toString('utf8')) as { error?: { code?: string } };
      resolve({ status, code: body.error?.code });
      return true;
    };
    socket.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      done();
    });
    socket.on('error', () => undefined); // the server may close after answering; the answer counts
    socket.on('close', () => {
      if (!done()) {
        clearTimeout(timer);
        reject(new Error('the server closed without a complete answer'));
      }
    });
    socket.write(`POST ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/pdf\r\nContent-Length: ${declaredBytes}\r\n\r\n`);
    socket.write(Buffer.alloc(64 * 1024));
  });
}

/** Polls the document until it is INDEXED or FAILED. */
export function settled(base: string, patientId: string, documentId: string, token: string, timeoutMs = 90_000): Promise<DocumentDetail> {
  return until(async () => {
    const r = await call<Envelope<DocumentDetail>>(`${base}/api/v1/patients/${patientId}/documents/${documentId}`, { token });
    return r.status === 200 && (r.body.data.status === 'INDEXED' || r.body.data.status === 'FAILED') ? r.body.data : null;
  }, timeoutMs, 100);
}

/**
 * Uploads `pages` (joined by form feeds) as a plain-text document of `patientId`; expects it
 * accepted (202) and resolves with its id.
 */
export async function uploadText(base: string, patientId: string, token: string, pages: string[], type: string, clinicalDate?: string): Promise<string> {
  const r = await upload(base, patientId, Buffer.from(pages.join('\f')), { token, type, ...(clinicalDate ? { clinicalDate } : {}), contentType: 'text/plain' });
  expect(r.status).toBe(202);
  return r.body.document_id;
}

/** As uploadText, then waits for the document; expects it INDEXED and resolves with its id. */
export async function indexedText(base: string, patientId: string, token: string, pages: string[], type: string, clinicalDate: string): Promise<string> {
  const id = await uploadText(base, patientId, token, pages, type, clinicalDate);
  const doc = await settled(base, patientId, id, token);
  expect(doc.status).toBe('INDEXED');
  return doc.document_id;
}

/** The documents tables' sublevel names (gateway/store/layout.ts). */
export const DOCUMENT_TABLES = ['docs', 'docs-patient', 'docs-hash', 'doc-parts', 'doc-pages', 'doc-extractions', 'doc-chunks', 'doc-vectors'] as const;

/** Raw keys of the documents tables of `tenantId`, by table (the gateway must be stopped). */
export async function documentKeys(dataDir: string, tenantId: string): Promise<Record<(typeof DOCUMENT_TABLES)[number], string[]>> {
  const db = new Level<string, Uint8Array>(join(dataDir, 'store'), { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open();
  try {
    const out = Object.fromEntries(DOCUMENT_TABLES.map((t) => [t, [] as string[]])) as Record<(typeof DOCUMENT_TABLES)[number], string[]>;
    for await (const key of db.keys()) {
      for (const t of DOCUMENT_TABLES) {
        const prefix = `!t!!${tenantId}!!${t}!`;
        if (key.startsWith(prefix)) out[t].push(key.slice(prefix.length));
      }
    }
    return out;
  } finally {
    await db.close();
  }
}
