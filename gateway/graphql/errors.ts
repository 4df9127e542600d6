/**
 * GraphQL errors speak the same codes as REST. A coded WardClerkError thrown by a service becomes a
 * GraphQLError whose `extensions` carry `code`, `status` and `details` (the REST envelope's fields);
 * anything else is masked as INTERNAL with no detail. Errors graphql-js itself raises (syntax,
 * validation, variable coercion) can quote values from the request, which may be PHI (a name in a
 * mutation argument), so their messages keep names and types but lose every value.
 */
import { GraphQLError } from 'graphql';
import { ERROR_STATUS, WardClerkError, isWardClerkError, type ErrorCode } from '../../core/errors.js';
import { scrubDetails, scrubPaths } from '../http/scrub-paths.js';

/** The extensions every error in a WardClerk GraphQL answer carries. */
export interface CodedExtensions {
  code: ErrorCode;
  status: number;
  details: Record<string, unknown>;
}

const INTERNAL_MESSAGE = 'Internal error';

/** The WardClerkError at the root of `err` (GraphQLError.originalError chain), if any. */
export function codedCause(err: unknown): WardClerkError | null {
  let e: unknown = err;
  for (let i = 0; i < 8 && e; i++) {
    if (isWardClerkError(e)) return e;
    e = e instanceof GraphQLError ? e.originalError : undefined;
  }
  return null;
}

/**
 * The GraphQL form of a coded error. `httpStatus` also sets the HTTP status of the whole answer
 * (yoga reads `extensions.http.status`): used for request-level refusals (depth, cost, size) that
 * stop the operation before any resolver runs, never for a field's error inside partial data.
 */
export function toGraphQLError(e: WardClerkError, from?: GraphQLError, httpStatus = false): GraphQLError {
  const extensions: Record<string, unknown> = {
    code: e.code,
    status: e.status,
    details: scrubDetails(e.details) as Record<string, unknown>,
  };
  if (httpStatus) extensions.http = { status: e.status };
  return new GraphQLError(scrubPaths(e.message), { nodes: from?.nodes, source: from?.source, positions: from?.positions, path: from?.path, extensions });
}

// A GraphQL name, a variable ("$input"), a dotted input path ("input.sex") or a type reference
// ("[String!]!"): safe to show. Anything else quoted is a value from the request.
const SAFE_QUOTED = /^(?:\$?[_A-Za-z][_0-9A-Za-z]*(?:\.[_0-9A-Za-z]+)*|\[*[_A-Za-z][_0-9A-Za-z]*(?:!?\]!?)*!?)$/;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;
// graphql-js prints a rejected value after these words, unquoted when it is a number, a list, an
// object or an enum-like name ("found {name: ...}", "got invalid value 12", "non-integer value: 1.5").
const PRINTED_VALUE = /\b(found|got invalid value|value:)\s+(?!…)[^;]*?(?=;|\.?\s*$)/g;
// An enum literal looks like a name, but is the caller's value.
const ENUM_VALUE = /\bValue "[^"]*" does not exist/g;

/** `message` with every request value replaced by `…`; names, types and the sentence stay. */
export function scrubValues(message: string): string {
  return scrubPaths(
    message
      .replace(PRINTED_VALUE, '$1 …')
      .replace(ENUM_VALUE, 'Value "…" does not exist')
      .replace(QUOTED, (q) => (SAFE_QUOTED.test(q.slice(1, -1)) ? q : '"…"')),
  );
}

function codeForStatus(status: number | undefined): ErrorCode {
  switch (status) {
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case undefined:
    case 400:
      return 'VALIDATION_FAILED';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}

/**
 * Yoga's `maskError`: called for a resolver's throw and for errors thrown while parsing. Coded
 * errors keep their code, graphql-js's own errors pass (to be scrubbed), everything else is
 * INTERNAL, with nothing of the original.
 */
export function maskError(error: unknown): Error {
  const coded = codedCause(error);
  const from = error instanceof GraphQLError ? error : undefined;
  if (coded) return toGraphQLError(coded, from);
  // graphql-js's own (a syntax error thrown by the parser): normalizeError scrubs it later.
  if (from && (from.originalError === undefined || from.originalError instanceof GraphQLError)) return from;
  return new GraphQLError(INTERNAL_MESSAGE, {
    nodes: from?.nodes,
    path: from?.path,
    extensions: { code: 'INTERNAL', status: ERROR_STATUS.INTERNAL, details: {}, unexpected: true },
  });
}

/**
 * The final form of any error in an answer: already coded → as is; graphql-js's own (syntax,
 * validation, coercion; yoga's request parsing) → VALIDATION_FAILED (or the code of its HTTP
 * status) with request values scrubbed from the message.
 */
export function normalizeError(error: GraphQLError): GraphQLError {
  const ext = error.extensions ?? {};
  if (typeof ext.code === 'string' && ext.code in ERROR_STATUS && typeof ext.status === 'number') return error;
  const httpStatus = (ext.http as { status?: number } | undefined)?.status;
  const code = codeForStatus(httpStatus);
  const message = code === 'INTERNAL' ? INTERNAL_MESSAGE : scrubValues(error.message);
  const extensions: Record<string, unknown> = { code, status: ERROR_STATUS[code], details: {} };
  if (ext.http) extensions.http = ext.http;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}
