/**
 * `me`: who the token says is calling (the same principal as REST), and for a signed-in person
 * their own account from the users repository.
 */
import type { GraphQLModule } from '../module.js';
import type { GraphQLContext } from '../context.js';

export const meModule: GraphQLModule = {
  typeDefs: /* GraphQL */ `
    "The kind of credential a request carries."
    enum PrincipalKind {
      operator
      client
      user
    }

    "A person's role within a tenant."
    enum UserRole {
      patient
      doctor
      nurse
      tenant_admin
    }

    "Who is calling, as the Bearer token says (the same principal the REST API sees)."
    type Me {
      kind: PrincipalKind!
      "The token's subject: the operator, the client id, or the user id."
      sub: ID!
      tenant_id: ID
      role: UserRole
      scopes: [String!]!
      "For kind user: the account (null for operator and client tokens)."
      user: User
    }

    "A person of a tenant, as other people and features may see them."
    type User {
      user_id: ID!
      role: UserRole!
      status: String!
      display_name: String!
      public_key: String!
      key_version: Int!
      patient_id: ID
    }

    type Query {
      "The caller."
      me: Me!
    }
  `,
  resolvers: {
    Query: {
      me: (_: unknown, __: unknown, ctx: GraphQLContext) => {
        const p = ctx.principal;
        return { kind: p.kind, sub: p.sub, tenant_id: p.kind === 'operator' ? null : p.tenantId, role: p.kind === 'user' ? p.role : null, scopes: p.scopes };
      },
    },
    Me: {
      user: async (me: { kind: string }, _: unknown, ctx: GraphQLContext) => {
        const p = ctx.principal;
        if (me.kind !== 'user' || p.kind !== 'user') return null;
        return ctx.deps.store.users.get(p.tenantId, p.sub);
      },
    },
  },
};
