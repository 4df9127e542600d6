/**
 * The one table of request-body limits, by method and path. Small for credentials and admin
 * (nothing there needs more than a few fields), upload-sized only where documents arrive, and a
 * moderate default for every other route, including ones added later. Enforced while the body
 * streams by gateway/http/body-limit.ts.
 */
import { MAX_BATCH_BYTES } from '../jobs/schemas.js';
import { MAX_FILE_BYTES, MAX_JSON_BYTES } from '../prescriptions/schemas.js';
import { MAX_UPLOAD_BODY_BYTES } from '../documents/intake.js';

const KB = 1024;
const MB = 1024 * 1024;

/** Credentials: an email and a password, or an OAuth form. */
export const AUTH_BODY_BYTES = 16 * KB;
/** Operator routes and webhook subscriptions: a handful of short fields. */
export const ADMIN_BODY_BYTES = 64 * KB;
/** Generation prompts (a model context is far smaller than this). */
export const GENERATE_BODY_BYTES = 4 * MB;
/** Any route not named below. */
export const DEFAULT_BODY_BYTES = 1 * MB;
/** GraphQL: a query document plus variables (a note's text as JSON fits, as on REST). */
export const GRAPHQL_BODY_BYTES = MAX_JSON_BYTES;
/** A multipart upload: the file plus its few form fields and boundaries. */
export const UPLOAD_BODY_BYTES = MAX_FILE_BYTES + 64 * KB;

interface Rule {
  path: RegExp;
  /** The limit; a function when it depends on the content type (JSON vs a file). */
  maxBytes: number | ((contentType: string) => number);
}

const isJson = (type: string) => /^application\/(.+\+)?json\b/i.test(type) || type === '';
const uploadLimit = (type: string) => (isJson(type) ? MAX_JSON_BYTES : UPLOAD_BODY_BYTES);

// First match wins; paths are matched without the query string.
const RULES: Rule[] = [
  { path: /^\/api\/v1\/auth\//, maxBytes: AUTH_BODY_BYTES },
  { path: /^\/api\/v1\/oauth\//, maxBytes: AUTH_BODY_BYTES },
  { path: /^\/api\/v1\/admin(\/|$)/, maxBytes: ADMIN_BODY_BYTES },
  { path: /^\/api\/v1\/webhooks(\/|$)/, maxBytes: ADMIN_BODY_BYTES },
  { path: /^\/api\/v1\/prescriptions\/?$/, maxBytes: uploadLimit },
  { path: /^\/upload-prescription\/?$/, maxBytes: MAX_JSON_BYTES },
  { path: /^\/api\/v1\/prescriptions\/batch\/?$/, maxBytes: MAX_BATCH_BYTES },
  { path: /^\/upload-prescription-batch\/?$/, maxBytes: MAX_BATCH_BYTES },
  { path: /^\/api\/v1\/documents(\/|$)/, maxBytes: uploadLimit },
  { path: /^\/api\/v1\/patients\/[^/]+\/notes\/?$/, maxBytes: uploadLimit },
  // Patient documents (issue 9): up to 50 MB, whatever the content type (tier 1 sniffs the bytes).
  { path: /^\/api\/v1\/patients\/[^/]+\/documents\/?$/, maxBytes: MAX_UPLOAD_BODY_BYTES },
  { path: /^\/api\/v1\/generate\/?$/, maxBytes: GENERATE_BODY_BYTES },
  { path: /^\/api\/v1\/graphql\/?$/, maxBytes: GRAPHQL_BODY_BYTES },
];

/** The most bytes a request body to `path` with this content type may hold. */
export function bodyLimitFor(path: string, contentType: string): number {
  const type = contentType.trim().toLowerCase();
  for (const rule of RULES) {
    if (rule.path.test(path)) return typeof rule.maxBytes === 'number' ? rule.maxBytes : rule.maxBytes(type);
  }
  return DEFAULT_BODY_BYTES;
}
