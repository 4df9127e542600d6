/**
 * GraphQL arguments pass through the SAME zod schemas as the REST bodies and queries, with the
 * same error: VALIDATION_FAILED "Request failed validation" and the issues (paths and zod's
 * messages, which name rules, not the values given).
 */
import type { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';
import { PageQuerySchema } from '../people/patients-schemas.js';

/** `value` checked by `schema` (a REST route's request schema); VALIDATION_FAILED as REST. */
export function validInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', { details: { issues } });
  }
  return r.data;
}

/** GraphQL gives `null` for an optional argument left out as well as for an explicit null. */
export function withoutNulls<T extends Record<string, unknown>>(args: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: Exclude<T[K], null> };
}

/** A list field's paging arguments, as GraphQL passes them. */
export type PageArgs = { cursor?: string | null; limit?: number | null };

/** A list field's cursor and limit checked by REST's page query schema (VALIDATION_FAILED as REST); other arguments are ignored. */
export function pageInput(args: PageArgs): z.infer<typeof PageQuerySchema> {
  return validInput(PageQuerySchema, withoutNulls({ cursor: args.cursor, limit: args.limit }));
}
