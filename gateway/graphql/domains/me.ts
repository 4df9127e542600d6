/**
 * `me`: who the token says is calling (the same principal as REST), and for a signed-in person
 * their own account as `GET /api/v1/me` shows it (the users service's whoAmI: a logged-out or
 * revoked session is INVALID_TOKEN there too).
 */
import { whoAmI } from '../../people/users-service.js';
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

    "The signed-in person's own account (as GET /api/v1/me)."
    type User {
      user_id: ID!
      tenant_id: ID!
      email: String!
      role: UserRole!
      status: String!
      display_name: String!
      must_change_password: Boolean!
      "X25519 public key (base64) others seal messages to."
      public_key: String!
      "Bumped by an admin password reset: messages sealed to an older key are unreadable."
      key_version: Int!
      patient_id: ID
      created_at: String!
      session_id: ID!
      "Whether this session holds the unsealed private key (messages are readable)."
      private_key_available: Boolean!
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
      user: async (_: unknown, __: unknown, ctx: GraphQLContext) => {
        const who = await whoAmI(ctx.deps, ctx.principal);
        return who.kind === 'user' ? who : null;
      },
    },
  },
};
