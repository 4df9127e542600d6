/**
 * Coded errors. Every error WardClerk raises on purpose is a `WardClerkError` with a stable `code`
 * (asserted by tests, documented for API clients), an HTTP `status` used once at the edge, and
 * structured `details`. Messages never contain PHI: no note text, names or extracted values.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  EMPTY_TEXT: 400,
  INVALID_UTF8: 400,
  INVALID_PDF: 400,
  INVALID_IMAGE: 400,
  UNREADABLE_FILE: 400,
  BATCH_TOO_LARGE: 400,
  JSON_TOO_DEEP: 400,
  INVALID_MULTIPART: 400,
  UNAUTHENTICATED: 401,
  INVALID_TOKEN: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_CLIENT: 401,
  FORBIDDEN: 403,
  TENANT_MISMATCH: 403,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  WEBHOOK_LIMIT_REACHED: 409,
  WEBHOOK_DISABLED: 409,
  WEBHOOK_TARGET_FORBIDDEN: 422,
  PAYLOAD_TOO_LARGE: 413,
  // The request line and headers together pass Node's limit (16 KiB by default), e.g. a 50 kB URL.
  REQUEST_HEADERS_TOO_LARGE: 431,
  UNSUPPORTED_MEDIA_TYPE: 415,
  OCR_NOT_AVAILABLE: 415,
  UNSUPPORTED_GRANT_TYPE: 400,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  ENGINE_UNAVAILABLE: 503,
  OVERLOADED: 503,
  STORE_UNAVAILABLE: 503,
  TIMEOUT: 504,
  MODEL_NOT_FOUND: 404,
  MODEL_CHECKSUM_MISMATCH: 422,
  MODEL_OUTPUT_INVALID: 502,
  MODEL_OUTPUT_TRUNCATED: 502,
  PROVIDER_ERROR: 502,
  CANCELLED: 499,
  CONFIG_INVALID: 500,
  DATA_DIR_IN_USE: 409,
  INVALID_TIME_ZONE: 400,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COSTLY: 400,
  // people and sign-in (issue 8)
  EMAIL_TAKEN: 409,
  WEAK_PASSWORD: 400,
  PASSWORD_TOO_LONG: 400,
  INVITATION_INVALID: 400,
  SIGNUP_CLOSED: 403,
  ACCOUNT_DISABLED: 403,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  SESSION_REVOKED: 401,
  PASSWORD_CHANGE_REQUIRED: 403,
  TENANT_REQUIRED: 400,
  // reminders (issue 8)
  REMINDER_ALREADY_CHECKED_IN: 409,
  REMINDER_CANCELLED: 409,
  REMINDER_NOT_DUE: 409,
  // patient documents (issue 9): tier 1 refusals, nothing stored
  EMPTY_FILE: 400,
  INVALID_DOCX: 400,
  ENCRYPTED_PDF: 400,
  TOO_MANY_PAGES: 413,
  IMAGE_TOO_LARGE: 413,
  ARCHIVE_TOO_LARGE: 413,
  // patient search (issue 9)
  QUERY_TOO_LONG: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface WardClerkErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Overrides the default status of the code (rarely needed). */
  status?: number;
  /** Seconds a client should wait before retrying (sent as `Retry-After`). */
  retryAfter?: number;
}

export class WardClerkError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, options: WardClerkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WardClerkError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.details = options.details ?? {};
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }

  /** The JSON shape carried over NATS and in the HTTP error envelope. */
  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isWardClerkError(e: unknown): e is WardClerkError {
  return e instanceof WardClerkError;
}

/** Rebuilds a coded error that crossed a process boundary (NATS reply) as JSON. */
export function errorFromJSON(value: { code: string; message: string; details?: Record<string, unknown> }): WardClerkError {
  const code = (value.code in ERROR_STATUS ? value.code : 'INTERNAL') as ErrorCode;
  return new WardClerkError(code, value.message, { details: value.details ?? {} });
}
