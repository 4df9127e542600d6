/**
 * The executable GraphQL schema: every domain module's SDL and resolvers merged. The SDL served
 * at `/api/v1/graphql/schema` is printed from this same schema, so the document cannot drift.
 */
// Loaded first on purpose: zod v4 gives a schema its methods when it is made, and some services
// build schemas with plain zod that their REST routes later extend with `.openapi()`. A test that
// reaches those services through this module before any route file would otherwise make them
// without it (gateway/people/signup-service.ts PeopleSettingsSchema).
import '@hono/zod-openapi';
import { printSchema, type GraphQLSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { GraphQLContext } from './context.js';
import type { GraphQLModule } from './module.js';
import { meModule } from './domains/me.js';
import { peopleModule } from './domains/people.js';
import { remindersModule } from './domains/reminders.js';
import { messagesModule } from './domains/messages.js';
import { careModule } from './domains/care.js';
import { documentsModule } from './domains/documents.js';
import { assistantModule } from './domains/assistant.js';

/** Every module, in the order their types appear in the printed SDL. */
export const GRAPHQL_MODULES: readonly GraphQLModule[] = [meModule, peopleModule, careModule, documentsModule, assistantModule, remindersModule, messagesModule];

/** Builds the schema (once per app). */
export function buildSchema(modules: readonly GraphQLModule[] = GRAPHQL_MODULES): GraphQLSchema {
  return createSchema<GraphQLContext>({
    typeDefs: modules.map((m) => m.typeDefs),
    resolvers: modules.map((m) => m.resolvers) as never,
  });
}

/** The schema as SDL text. */
export function schemaSdl(schema: GraphQLSchema): string {
  return printSchema(schema);
}
