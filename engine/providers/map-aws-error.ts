/**
 * Maps an AWS SDK v3 failure (after the SDK's own retries) to a coded WardClerk error: throttling →
 * `RATE_LIMITED`, abort → `CANCELLED`, anything else from the service → `PROVIDER_ERROR`. Only the
 * error name, HTTP status and request id are kept: AWS messages may echo input.
 */
import { WardClerkError } from '../../core/errors.js';

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'ProvisionedThroughputExceededException', 'LimitExceededException', 'ServiceQuotaExceededException']);

/** Converts `e` (thrown by `client.send`) into a WardClerkError for `provider`. */
export function mapAwsError(e: unknown, provider: string, signal?: AbortSignal): WardClerkError {
  if (e instanceof WardClerkError) return e;
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number } };
  const details = {
    provider,
    aws_error: typeof err?.name === 'string' ? err.name : 'Unknown',
    http_status: err?.$metadata?.httpStatusCode ?? null,
    request_id: err?.$metadata?.requestId ?? null,
    attempts: err?.$metadata?.attempts ?? null,
  };
  if (signal?.aborted || err?.name === 'AbortError') return new WardClerkError('CANCELLED', 'request cancelled', { details, cause: e });
  if (details.http_status === 429 || THROTTLING.has(details.aws_error)) {
    return new WardClerkError('RATE_LIMITED', `${provider} is throttling requests`, { details, cause: e, status: 503, retryAfter: 5 });
  }
  return new WardClerkError('PROVIDER_ERROR', `${provider} request failed (${details.aws_error})`, { details, cause: e });
}
