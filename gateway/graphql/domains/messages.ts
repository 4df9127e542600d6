/**
 * Secure messages between a patient and their care team: resolvers call the people helper's
 * message services (sealed boxes; opened only with the caller's live session key), as REST does.
 */
import { listMessages, sendMessage } from '../../people/messages-service.js';
import type { GraphQLContext } from '../context.js';
import { pageInput, withoutNulls, type PageArgs } from '../input.js';
import type { GraphQLModule } from '../module.js';

export const messagesModule: GraphQLModule = {
  typeDefs: /* GraphQL */ `
    "A secure message (your copy). readable false: sealed to a replaced keypair (key_reset, gone for good) or no unsealed key in this session (session_locked)."
    type SecureMessage {
      message_id: ID!
      patient_id: ID!
      sender_id: ID!
      recipient_id: ID!
      created_at: String!
      readable: Boolean!
      text: String
      reason: String
    }

    type SecureMessagePage {
      items: [SecureMessage!]!
      next_cursor: String
    }

    type Patient {
      "Your secure messages about this patient (sent and received), oldest first."
      messages(cursor: String, limit: Int): SecureMessagePage!
    }

    type Mutation {
      "Sends a secure message about a patient: a patient to a doctor or nurse on their care team (recipient_id), staff to the patient."
      sendMessage(patient_id: ID!, text: String!, recipient_id: ID): SecureMessage!
    }
  `,
  resolvers: {
    Patient: {
      messages: (p: { patient_id: string }, args: PageArgs, ctx: GraphQLContext) =>
        listMessages(ctx.deps, ctx.principal, p.patient_id, pageInput(args)),
    },
    Mutation: {
      sendMessage: (_: unknown, args: { patient_id: string; text: string; recipient_id?: string | null }, ctx: GraphQLContext) =>
        sendMessage(ctx.deps, ctx.principal, args.patient_id, withoutNulls({ text: args.text, recipient_id: args.recipient_id }) as { text: string; recipient_id?: string }),
    },
  },
};
