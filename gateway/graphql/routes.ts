/**
 * `POST /api/v1/graphql` (graphql-yoga's fetch handler inside a Hono route) and
 * `GET /api/v1/graphql/schema` (the SDL). The route runs the SAME requireAuth as every REST route,
 * and the resolvers get that principal; the body goes through the app's body limits before yoga
 * sees it. Only POST with a JSON body is served: a GET would put variables (maybe PHI) in the URL.
 * No GraphiQL or landing page: both would load assets from a CDN, and appliances are offline.
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { createYoga } from 'graphql-yoga';
import { WardClerkError } from '../../core/errors.js';
import { requireAuth } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import { GRAPHQL_BODY_BYTES } from '../http/body-limits.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses } from '../http/envelope.js';
import { boundedCache } from './bounded-cache.js';
import type { GraphQLContext } from './context.js';
import { maskError } from './errors.js';
import { useWardClerkGuards } from './guard-plugin.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits.js';
import { buildSchema, schemaSdl } from './schema.js';

export const GRAPHQL_PATH = '/api/v1/graphql';
export const GRAPHQL_SCHEMA_PATH = '/api/v1/graphql/schema';

const isJson = (type: string) => /^application\/(.+\+)?json\b/i.test(type.trim());

const GraphQLRequestSchema = z
  .object({
    query: z.string().openapi({ example: '{ me { kind sub role } }' }),
    operationName: z.string().nullable().optional(),
    variables: z.record(z.string(), z.unknown()).nullable().optional(),
    extensions: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .strict()
  .openapi('GraphQLRequest');

const GraphQLResponseSchema = z
  .object({
    data: z.record(z.string(), z.unknown()).nullable().optional(),
    errors: z
      .array(
        z.object({
          message: z.string(),
          path: z.array(z.union([z.string(), z.number()])).optional(),
          extensions: z.object({ code: z.string(), status: z.number(), details: z.record(z.string(), z.unknown()) }),
        }),
      )
      .optional(),
  })
  .openapi('GraphQLResponse');

function registerGraphqlDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: GRAPHQL_PATH,
    summary: 'GraphQL: the same operations as the REST API, with the same auth and error codes',
    description:
      'A GraphQL-over-HTTP endpoint (POST, application/json; no GET, so variables never appear in URLs). The same Bearer token, ' +
      'tenant scoping and permission checks as the REST routes: resolvers call the same services. Errors carry ' +
      '`extensions.code` and `extensions.status` with the REST codes (an unassigned doctor asking for a patient gets NOT_FOUND). ' +
      `A query deeper than ${DEFAULT_QUERY_LIMITS.maxDepth} levels is refused with 400 QUERY_TOO_DEEP, one whose estimated cost ` +
      `(list fields × their page size) exceeds ${DEFAULT_QUERY_LIMITS.maxCost} with 400 QUERY_TOO_COSTLY, a query document over ` +
      `${DEFAULT_QUERY_LIMITS.maxQueryBytes} bytes with 413 PAYLOAD_TOO_LARGE; nothing runs. Introspection is on; the schema is at ${GRAPHQL_SCHEMA_PATH}. ` +
      'A missing or bad token (401), a body that is not JSON (400 INVALID_JSON) or not one GraphQL request object (400 VALIDATION_FAILED; no batching) are answered in the REST error envelope, before GraphQL runs.',
    tags: ['graphql'],
    security: [{ bearerAuth: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: GraphQLRequestSchema } } } },
    responses: {
      200: { description: 'The result; field errors (NOT_FOUND, FORBIDDEN, VALIDATION_FAILED, …) are in `errors`', content: { 'application/json': { schema: GraphQLResponseSchema } } },
      400: { description: 'QUERY_TOO_DEEP, QUERY_TOO_COSTLY, or a query that does not parse or validate (VALIDATION_FAILED)', content: { 'application/json': { schema: GraphQLResponseSchema } } },
      ...errorResponses(401, 413, 415),
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: GRAPHQL_SCHEMA_PATH,
    summary: 'The GraphQL schema as SDL text',
    tags: ['graphql'],
    security: [],
    responses: { 200: { description: 'SDL', content: { 'text/plain': { schema: z.string() } } } },
  });
}

/** Registers both routes; `limits` default to production's. */
export function registerGraphqlRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps, limits: QueryLimits = DEFAULT_QUERY_LIMITS): void {
  const schema = buildSchema();
  const sdl = schemaSdl(schema);
  const yoga = createYoga<GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: false,
    landingPage: false,
    multipart: false,
    batching: false,
    // The app's CORS middleware already decided; yoga must not answer preflights its own way.
    cors: false,
    // Yoga would log the raw error (messages may hold PHI); the guard plugin logs type and stack.
    logging: false,
    maskedErrors: { maskError },
    maxRequestBodySize: GRAPHQL_BODY_BYTES,
    parserAndValidationCache: { documentCache: boundedCache(256), errorCache: boundedCache(256), validationCache: boundedCache(256) },
    plugins: [useWardClerkGuards(limits)],
  });
  const auth = requireAuth(deps.tokens);

  app.post(GRAPHQL_PATH, auth, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!isJson(type)) throw new WardClerkError('UNSUPPORTED_MEDIA_TYPE', 'GraphQL requests are POSTed as application/json', { details: { content_type: type.split(';')[0]?.slice(0, 64) ?? '' } });
    // Read through the app's body limits (413 and JSON depth are answered by the app's one
    // error mapping), then hand yoga a plain request it can read freely.
    const body = await c.req.text();
    // The request's shape is checked here, as REST bodies are (INVALID_JSON, VALIDATION_FAILED in
    // the envelope); yoga then sees only a well-formed single operation.
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new WardClerkError('INVALID_JSON', 'Request body is not valid JSON');
    }
    const checked = GraphQLRequestSchema.safeParse(parsed);
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', { details: { issues } });
    }
    const request = new Request(new URL(GRAPHQL_PATH, 'http://wardclerk.local'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: c.req.header('accept') ?? 'application/json' },
      body,
    });
    const context: GraphQLContext = { deps, principal: c.get('principal'), log: c.get('log'), requestId: c.get('requestId') };
    const answer = await yoga.fetch(request, context);
    // Answered through the context so the headers the app's middleware prepared (X-Request-Id)
    // travel with it, as with every other route.
    answer.headers.forEach((value, name) => c.header(name, value));
    return c.body(await answer.text(), answer.status as 200);
  });

  app.get(GRAPHQL_SCHEMA_PATH, (c) => c.text(sdl, 200, { 'content-type': 'text/plain; charset=utf-8' }));
  registerGraphqlDocs(app);
}
