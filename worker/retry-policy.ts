/**
 * Which failures are worth another attempt. A coded error whose status is 5xx or 429 (engine or
 * store unavailable, timeout, internal) is transient: the message is nak'ed with a delay. Any other
 * code (VALIDATION_FAILED, EMPTY_TEXT, …) is permanent: retrying cannot change the answer.
 */
import { WardClerkError, isWardClerkError } from '../core/errors.js';

/** True when another attempt may succeed. */
export function isTransient(error: WardClerkError): boolean {
  return error.status >= 500 || error.status === 429;
}

/**
 * Turns anything thrown into a coded error. A non-coded error is a bug or an unexpected library
 * failure: it becomes INTERNAL (transient, so it is retried and finally recorded, never dropped)
 * with a generic message, because a raw message could carry anything.
 */
export function toCodedError(error: unknown): WardClerkError {
  if (isWardClerkError(error)) return error;
  return new WardClerkError('INTERNAL', 'Internal error', { cause: error, details: { type: (error as Error)?.name ?? typeof error } });
}

/** Exponential delay for attempt n (1-based): base·2^(n-1), capped. */
export function exponentialDelayMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
