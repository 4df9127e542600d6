/**
 * One domain's part of the GraphQL schema: its SDL and its resolvers. Modules may each declare
 * `type Query { … }` / `type Mutation { … }`; the schema builder merges them.
 */
import type { GraphQLResolveInfo, GraphQLScalarType } from 'graphql';
import type { GraphQLContext } from './context.js';

/** A field resolver; `args` were coerced by graphql-js against the SDL before it runs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (parent: any, args: any, ctx: GraphQLContext, info: GraphQLResolveInfo) => unknown;

export interface GraphQLModule {
  typeDefs: string;
  resolvers: Record<string, Record<string, Resolver> | GraphQLScalarType>;
}
