/**
 * Notes, care plans, checklist tasks and plan activities: resolvers call the care-plans service
 * functions the REST routes call (gateway/care-plans/service*.ts). Each loads the patient through
 * people/access.ts, so an unassigned doctor gets NOT_FOUND here exactly as on REST.
 */
import { isWardClerkError } from '../../../core/errors.js';
import { createNote, getCurrentCarePlan, getNote, listCarePlans, listNotes } from '../../care-plans/service.js';
import { updateActivity } from '../../care-plans/service-activities.js';
import { listTasks, updateTask } from '../../care-plans/service-tasks.js';
import { NoteInputSchema } from '../../care-plans/schemas.js';
import type { GraphQLContext } from '../context.js';
import { pageInput, validInput, withoutNulls, type PageArgs } from '../input.js';
import type { GraphQLModule } from '../module.js';
import { JsonScalar } from './json-scalar.js';

type PatientParent = { patient_id: string };

export const careModule: GraphQLModule = {
  typeDefs: /* GraphQL */ `
    scalar JSON

    "Who wrote or changed something: a user (with their role) or an API client."
    type Actor {
      kind: String!
      id: ID!
      role: String
    }

    enum NoteStatus {
      pending
      processed
      no_actionable_items
      failed
    }

    type CodedError {
      code: String!
      message: String!
    }

    "A doctor's note and what became of it."
    type Note {
      note_id: ID!
      patient_id: ID!
      job_id: ID!
      author: Actor!
      text: String!
      source: String!
      ocr_confidence: Float
      note_date: String!
      status: NoteStatus!
      "The plan this note created (null: none; the active plan stayed)."
      care_plan_id: ID
      task_ids: [ID!]!
      "The actionable steps found: {tasks, activities, warnings}."
      items: JSON
      error: CodedError
      created_at: String!
      processed_at: String
    }

    type NotePage {
      items: [Note!]!
      next_cursor: String
    }

    "A posted note: its pipeline runs on the workers; follow it by the note's status (status_url on REST) or the job events."
    type NoteAccepted {
      note_id: ID!
      job_id: ID!
      status: NoteStatus!
      status_url: String!
    }

    "One recurring activity of a plan (FHIR CarePlan.activity with a Timing)."
    type CarePlanActivity {
      activity_id: ID!
      kind: String!
      title: String!
      instruction: String!
      medication: JSON
      timing: JSON
      as_needed: Boolean!
      span: JSON!
      source: String!
      status: String!
      updated_at: String!
      updated_by: Actor
    }

    "A FHIR-shaped care plan; revoked = superseded by a newer note's plan."
    type CarePlan {
      care_plan_id: ID!
      patient_id: ID!
      note_id: ID!
      author: Actor!
      status: String!
      activities: [CarePlanActivity!]!
      replaces: ID
      superseded_by: ID
      created_at: String!
      updated_at: String!
      revoked_at: String
    }

    type CarePlanPage {
      items: [CarePlan!]!
      next_cursor: String
    }

    enum TaskStatus {
      requested
      completed
      cancelled
    }

    "A one-time checklist step (FHIR Task)."
    type Task {
      task_id: ID!
      patient_id: ID!
      note_id: ID!
      kind: String!
      description: String!
      due: String
      due_text: String
      medication: String
      span: JSON!
      source: String!
      status: TaskStatus!
      status_changed_by: Actor
      created_at: String!
      updated_at: String!
    }

    type TaskPage {
      items: [Task!]!
      next_cursor: String
    }

    type Patient {
      "The patient's notes, oldest first."
      notes(cursor: String, limit: Int): NotePage!
      "One note of the patient (NOT_FOUND for another's)."
      note(id: ID!): Note!
      "The active care plan, or null when there is none."
      care_plan: CarePlan
      "Every plan, oldest first, superseded ones included."
      care_plans(cursor: String, limit: Int): CarePlanPage!
      "The checklist, oldest first."
      tasks(status: TaskStatus, cursor: String, limit: Int): TaskPage!
    }

    type Mutation {
      "A doctor or nurse assigned to the patient (or a client with patients:write) posts a note (text, up to 500,000 characters); the plan follows asynchronously. EMPTY_TEXT, UNREADABLE_FILE as REST."
      postNote(patient_id: ID!, text: String!, note_date: String): NoteAccepted!
      "The patient or their care team ticks off (or cancels) a task."
      updateTaskStatus(patient_id: ID!, task_id: ID!, status: TaskStatus!): Task!
      "An assigned doctor changes an activity's timing or ends it ({timing} or {status: \\"ended\\"}); its reminders are re-planned."
      updateActivity(patient_id: ID!, activity_id: ID!, patch: JSON!): CarePlan!
    }
  `,
  resolvers: {
    JSON: JsonScalar,
    Patient: {
      notes: (p: PatientParent, args: PageArgs, ctx: GraphQLContext) => listNotes(ctx.deps, ctx.principal, p.patient_id, pageInput(args)),
      note: (p: PatientParent, args: { id: string }, ctx: GraphQLContext) => getNote(ctx.deps, ctx.principal, p.patient_id, args.id),
      care_plan: async (p: PatientParent, _: unknown, ctx: GraphQLContext) => {
        try {
          return await getCurrentCarePlan(ctx.deps, ctx.principal, p.patient_id);
        } catch (e) {
          // "No active plan" is a state, not a failure, for a field; any other error stands.
          if (isWardClerkError(e) && e.code === 'NOT_FOUND' && e.details.resource === 'care_plan') return null;
          throw e;
        }
      },
      care_plans: (p: PatientParent, args: PageArgs, ctx: GraphQLContext) => listCarePlans(ctx.deps, ctx.principal, p.patient_id, pageInput(args)),
      tasks: (p: PatientParent, args: PageArgs & { status?: 'requested' | 'completed' | 'cancelled' | null }, ctx: GraphQLContext) =>
        listTasks(ctx.deps, ctx.principal, p.patient_id, { ...pageInput(args), ...withoutNulls({ status: args.status }) }),
    },
    Mutation: {
      postNote: async (_: unknown, args: { patient_id: string; text: string; note_date?: string | null }, ctx: GraphQLContext) => {
        const { text } = validInput(NoteInputSchema, { text: args.text });
        const { note, job_id } = await createNote(ctx.deps, ctx.principal, args.patient_id, { text, source: 'text', noteDate: args.note_date ?? undefined });
        return { note_id: note.note_id, job_id, status: note.status, status_url: `/api/v1/patients/${note.patient_id}/notes/${note.note_id}` };
      },
      updateTaskStatus: (_: unknown, args: { patient_id: string; task_id: string; status: string }, ctx: GraphQLContext) =>
        updateTask(ctx.deps, ctx.principal, args.patient_id, args.task_id, { status: args.status }),
      updateActivity: (_: unknown, args: { patient_id: string; activity_id: string; patch: unknown }, ctx: GraphQLContext) =>
        updateActivity(ctx.deps, ctx.principal, args.patient_id, args.activity_id, args.patch),
    },
  },
};
