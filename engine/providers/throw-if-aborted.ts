/**
 * Abort handling shared by the embedder and OCR backends: an aborted signal becomes the coded
 * `CANCELLED` error, so callers see one error whatever the backend.
 */
import { WardClerkError } from '../../core/errors.js';

/** Throws `CANCELLED` when `signal` is aborted; returns otherwise. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new WardClerkError('CANCELLED', 'request cancelled', { cause: signal.reason });
}
