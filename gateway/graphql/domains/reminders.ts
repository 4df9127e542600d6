/**
 * Reminders and check-ins: resolvers call the scheduler's service functions
 * (gateway/scheduler/reminders-service.ts) exactly as the REST routes do; the service parses the
 * query and the check-in with its own schemas and decides who may see what.
 */
import {
  checkIn, getMySchedulePreferences, getScheduleSettings, listMyReminders, listPatientReminders, putMySchedulePreferences, putScheduleSettings,
} from '../../scheduler/reminders-service.js';
import type { GraphQLContext } from '../context.js';
import { withoutNulls } from '../input.js';
import type { GraphQLModule } from '../module.js';

type ListArgs = { state?: string | null; from?: string | null; to?: string | null; limit?: number | null };

export const remindersModule: GraphQLModule = {
  typeDefs: /* GraphQL */ `
    enum ReminderState {
      scheduled
      due
      nagged
      taken
      skipped
      snoozed
      missed
      cancelled
    }

    "Which reminders to list: due (delivered, not answered), upcoming (scheduled), missed, or all."
    enum ReminderFilter {
      due
      upcoming
      missed
      all
    }

    "One occurrence of a plan activity, in the patient's own time zone."
    type Reminder {
      reminder_id: ID!
      series_id: ID!
      care_plan_id: ID!
      activity_id: ID!
      patient_id: ID!
      title: String
      kind: String
      due_at: String!
      state: ReminderState!
      "Delivered after its time (the gateway was down when it fell due)."
      late: Boolean!
      nags: Int!
      delivered_at: String
      checked_in_at: String
      snoozed_until: String
      reason: String
    }

    enum CheckInAction {
      taken
      skipped
      snooze
    }

    "taken; skipped with a reason; or snooze for 1-240 minutes."
    input CheckInInput {
      action: CheckInAction!
      reason: String
      minutes: Int
    }

    type Patient {
      "The patient's reminders (a window of at most 92 days; default by state)."
      reminders(state: ReminderFilter, from: String, to: String, limit: Int): [Reminder!]!
    }

    type SchedulePreferencesUpdate {
      preferences: JSON!
      "How many of the patient's reminder series were re-planned."
      replanned_series: Int!
    }

    type Query {
      "The signed-in patient's reminders."
      myReminders(state: ReminderFilter, from: String, to: String, limit: Int): [Reminder!]!
      "The signed-in patient's own meal and sleep times."
      mySchedulePreferences: JSON!
      "The tenant's schedule settings (tenant admins): clock-time policy, nag interval and count."
      scheduleSettings: JSON!
    }

    type Mutation {
      "The signed-in patient shifts their meal and sleep times ({meals?, sleep?}, HH:mm); future reminders are re-planned."
      setMySchedulePreferences(preferences: JSON!): SchedulePreferencesUpdate!
      "A tenant admin replaces the schedule settings (validated whole; nothing stored when invalid)."
      setScheduleSettings(settings: JSON!): JSON!
      "The signed-in patient checks in a reminder (another's: NOT_FOUND; twice: REMINDER_ALREADY_CHECKED_IN; superseded: REMINDER_CANCELLED)."
      checkIn(reminder_id: ID!, input: CheckInInput!): Reminder!
    }
  `,
  resolvers: {
    Patient: {
      reminders: (patient: { patient_id: string }, args: ListArgs, ctx: GraphQLContext) => listPatientReminders(ctx.deps, ctx.principal, patient.patient_id, withoutNulls(args)),
    },
    Query: {
      myReminders: (_: unknown, args: ListArgs, ctx: GraphQLContext) => listMyReminders(ctx.deps, ctx.principal, withoutNulls(args)),
      mySchedulePreferences: (_: unknown, __: unknown, ctx: GraphQLContext) => getMySchedulePreferences(ctx.deps, ctx.principal),
      scheduleSettings: (_: unknown, __: unknown, ctx: GraphQLContext) => getScheduleSettings(ctx.deps, ctx.principal),
    },
    Mutation: {
      setMySchedulePreferences: (_: unknown, args: { preferences: unknown }, ctx: GraphQLContext) => putMySchedulePreferences(ctx.deps, ctx.principal, args.preferences),
      setScheduleSettings: (_: unknown, args: { settings: unknown }, ctx: GraphQLContext) => putScheduleSettings(ctx.deps, ctx.principal, args.settings),
      checkIn: (_: unknown, args: { reminder_id: string; input: Record<string, unknown> }, ctx: GraphQLContext) =>
        checkIn(ctx.deps, ctx.principal, args.reminder_id, withoutNulls(args.input)),
    },
  },
};
