/**
 * The refresh summary and chat: resolvers call the services the REST routes call
 * (gateway/refresh/service.ts, gateway/chat/service.ts). Each loads the patient through
 * people/access.ts, so an unassigned doctor gets NOT_FOUND as on REST. Chat here is the JSON
 * answer (REST streams it with Accept: text/event-stream; GraphQL does not).
 */
import { isWardClerkError } from '../../../core/errors.js';
import { ChatBodySchema } from '../../chat/schemas.js';
import { answerChat } from '../../chat/service.js';
import { jobView, summaryView } from '../../refresh/schemas.js';
import { getSummary, requestRefresh } from '../../refresh/service.js';
import type { GraphQLContext } from '../context.js';
import { validInput, withoutNulls } from '../input.js';
import type { GraphQLModule } from '../module.js';

type PatientParent = { patient_id: string };
type ChatArgs = { patient_id: string; message: string; conversation_id?: string | null; additional_context?: string | null };

export const assistantModule: GraphQLModule = {
  typeDefs: /* GraphQL */ `
    "A version of the patient's extraction summary, with its inputs and what triggered it."
    type PatientSummary {
      patient_id: ID!
      version: Int!
      trigger: String!
      triggers: [String!]!
      job_id: ID!
      inputs: JSON!
      started_at: String!
      finished_at: String!
      active_conditions: JSON!
      "Active medications with dose."
      active_medications: JSON!
      "Latest key labs with dates."
      key_labs: JSON!
    }

    "A refresh job: queued, running, completed (with the version stored) or failed (with a code)."
    type RefreshJob {
      job_id: ID!
      patient_id: ID!
      status: String!
      triggers: [String!]!
      created_at: String!
      started_at: String
      finished_at: String
      version: Int
      error: JSON
    }

    "A queued refresh (or the queued one it joined); follow it at status_url."
    type RefreshAccepted {
      job_id: ID!
      status_url: String!
      job: RefreshJob!
    }

    type ChatSentence {
      text: String!
      citations: [Int!]!
    }

    "A passage an answer cites as [n]."
    type ChatSource {
      n: Int!
      document_id: ID!
      document_title: String!
      document_type: DocumentType!
      date: String
      page: Int!
      start: Int!
      end: Int!
      chunk_id: ID!
    }

    type ChatReferral {
      reason: String!
      urgency: String!
    }

    type ChatGrounding {
      checked: Int!
      dropped: Int!
    }

    "One chat turn's answer; every sentence of text cites sources as [n]."
    type ChatAnswer {
      mode: String!
      conversation_id: ID!
      text: String!
      sentences: [ChatSentence!]!
      sources: [ChatSource!]!
      found: Boolean!
      requires_doctor_consultation: Boolean!
      "Set when a patient message was answered with the fixed referral, without retrieval."
      referral: ChatReferral
      grounding: ChatGrounding!
      index_state: String!
      documents_pending: Int!
      "Doctor mode only (null for a patient): age, last consultation, active conditions, medications with dose, latest labs, from the latest summary."
      patient_summary_stats: JSON
    }

    type Patient {
      "The latest extraction summary, or null before the first refresh."
      summary: PatientSummary
    }

    type Mutation {
      "Queues a refresh of the patient's derived data (index, summary), or joins the queued one."
      requestRefresh(patient_id: ID!): RefreshAccepted!
      "Ask about the patient's records (the patient, or a doctor assigned to them; others FORBIDDEN or NOT_FOUND as REST). The answer, not streamed."
      chat(patient_id: ID!, message: String!, conversation_id: ID, additional_context: String): ChatAnswer!
    }
  `,
  resolvers: {
    Patient: {
      summary: async (p: PatientParent, _: unknown, ctx: GraphQLContext) => {
        try {
          return summaryView(await getSummary(ctx.deps, ctx.principal, p.patient_id));
        } catch (e) {
          // "No summary yet" is a state, not a failure, for a field; any other error stands.
          if (isWardClerkError(e) && e.code === 'NOT_FOUND' && e.details.resource === 'summary') return null;
          throw e;
        }
      },
    },
    Mutation: {
      requestRefresh: async (_: unknown, args: { patient_id: string }, ctx: GraphQLContext) => {
        const job = await requestRefresh(ctx.deps, ctx.principal, args.patient_id);
        return { job_id: job.job_id, status_url: `/api/v1/patients/${job.patient_id}/refresh/${job.job_id}`, job: jobView(job) };
      },
      chat: (_: unknown, args: ChatArgs, ctx: GraphQLContext) => {
        const body = validInput(ChatBodySchema, withoutNulls({ message: args.message, conversation_id: args.conversation_id, additional_context: args.additional_context }));
        return answerChat(ctx.deps, ctx.principal, args.patient_id, body);
      },
    },
  },
};
