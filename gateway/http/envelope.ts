/**
 * The response envelope of DESIGN.md §4. Success: {status:"success", data, metadata}; error:
 * {status:"error", error:{code,message,details}, metadata}; long work: {status:"accepted", job_id,
 * status_url} with 202. The OpenAPI helpers wrap a data schema in the success envelope.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './app-env.js';

export const MetadataSchema = z.object({ timestamp: z.string(), request_id: z.string() }).openapi('Metadata');

export const ErrorEnvelopeSchema = z
  .object({
    status: z.literal('error'),
    error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
    metadata: MetadataSchema,
  })
  .openapi('ErrorEnvelope');

/** Wraps a data schema in the success envelope for OpenAPI. */
export function successEnvelope<T extends z.ZodTypeAny>(data: T) {
  return z.object({ status: z.literal('success'), data, metadata: MetadataSchema });
}

export const AcceptedEnvelopeSchema = z
  .object({ status: z.literal('accepted'), job_id: z.string(), status_url: z.string(), metadata: MetadataSchema })
  .openapi('AcceptedEnvelope');

export function metadata(c: Context<AppEnv, any, any>) {
  return { timestamp: new Date().toISOString(), request_id: c.get('requestId') };
}

/** A success response in the envelope. */
export function ok<T, S extends ContentfulStatusCode = 200>(c: Context<AppEnv, any, any>, data: T, status?: S) {
  return c.json({ status: 'success' as const, data, metadata: metadata(c) }, (status ?? 200) as S);
}

/** A 202 for long work. */
export function accepted(c: Context<AppEnv, any, any>, jobId: string, statusUrl: string) {
  return c.json({ status: 'accepted' as const, job_id: jobId, status_url: statusUrl, metadata: metadata(c) }, 202);
}

/** The standard error responses every route may return, for OpenAPI. */
export function errorResponses(...statuses: number[]) {
  const out: Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorEnvelopeSchema } } }> = {};
  for (const s of statuses) out[s] = { description: `Error (${s})`, content: { 'application/json': { schema: ErrorEnvelopeSchema } } };
  return out;
}
