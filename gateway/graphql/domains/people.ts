/**
 * Patients, doctors and care-team assignments: every resolver is a call of the service function
 * the REST route calls (gateway/people/*-service.ts), with the REST request schema checking the
 * arguments first. Access (an unassigned doctor gets NOT_FOUND) is decided there, not here.
 */
import { assignStaff, unassignStaff } from '../../people/assignments-service.js';
import { chooseDoctors, dropDoctor, listDoctors, myDoctors } from '../../people/doctors-service.js';
import { AssignmentSchema, ChooseDoctorsSchema, PatientCreateSchema, PatientPatchBodySchema } from '../../people/patients-schemas.js';
import { z } from 'zod';
import { createPatient, findPatientByMrn, getPatient, listPatients, myPatient, patientView, updatePatient } from '../../people/patients-service.js';
import type { PatientRecord } from '../../store/patient-records.js';
import type { GraphQLContext } from '../context.js';
import { pageInput, validInput, withoutNulls, type PageArgs } from '../input.js';
import type { GraphQLModule } from '../module.js';

/** As REST's PatientLookup body. */
const LookupSchema = z.object({ mrn: z.string().min(1).max(64) });
const viewPage = (p: { items: PatientRecord[]; next_cursor: string | null }) => ({ items: p.items.map(patientView), next_cursor: p.next_cursor });

export const peopleModule: GraphQLModule = {
  typeDefs: /* GraphQL */ `
    "FHIR administrative gender."
    enum Sex {
      male
      female
      other
      unknown
    }

    type HumanName {
      family: String!
      given: [String!]!
    }

    "A patient (FHIR-shaped). Visible to the patient, their care team, tenant admins and clients with patients:read."
    type Patient {
      patient_id: ID!
      "The patient's own account, or null when staff registered them and they have none yet."
      user_id: ID
      name: HumanName!
      birth_date: String
      sex: Sex!
      "IANA zone the patient's reminders are computed in."
      time_zone: String!
      mrn: String
      created_at: String!
      updated_at: String!
    }

    type PatientPage {
      items: [Patient!]!
      next_cursor: String
    }

    "A doctor as a patient sees them."
    type Doctor {
      user_id: ID!
      display_name: String!
    }

    type DoctorPage {
      items: [Doctor!]!
      next_cursor: String
    }

    "One care-team membership."
    type Assignment {
      staff_user_id: ID!
      patient_id: ID!
    }

    input HumanNameInput {
      family: String!
      given: [String!]!
    }

    input PatientInput {
      name: HumanNameInput!
      birth_date: String
      sex: Sex
      "IANA zone; an unknown one is INVALID_TIME_ZONE."
      time_zone: String!
      "Unique in the tenant (CONFLICT otherwise)."
      mrn: String
    }

    input PatientPatch {
      name: HumanNameInput
      birth_date: String
      sex: Sex
      time_zone: String
      mrn: String
    }

    input AssignmentInput {
      staff_user_id: ID!
      patient_id: ID!
    }

    type Query {
      "Patients: a doctor's or nurse's assigned ones; all of the tenant for a tenant admin or a client with patients:read."
      patients(cursor: String, limit: Int): PatientPage!
      "One patient; NOT_FOUND unless the caller may see it (exactly as for a missing one)."
      patient(id: ID!): Patient!
      "A patient by MRN (blind index); NOT_FOUND as patient(id). The MRN travels in the POST body, never a URL."
      patientByMrn(mrn: String!): Patient!
      "The signed-in patient's own record."
      myPatient: Patient!
      "The tenant's doctors."
      doctors(cursor: String, limit: Int): DoctorPage!
      "The doctors on the signed-in patient's care team."
      myDoctors: [Doctor!]!
    }

    type Mutation {
      "Registers a patient who has no account yet (doctor, nurse, tenant admin, client with patients:write)."
      registerPatient(input: PatientInput!): Patient!
      "Changes a patient's details."
      updatePatient(id: ID!, patch: PatientPatch!): Patient!
      "The signed-in patient chooses doctors of their tenant; answers their doctors after."
      chooseDoctors(doctor_ids: [ID!]!): [Doctor!]!
      "The signed-in patient removes a doctor from their care team."
      dropDoctor(doctor_id: ID!): Boolean!
      "A tenant admin assigns a doctor or nurse to a patient."
      assignStaff(input: AssignmentInput!): Assignment!
      "A tenant admin removes an assignment (NOT_FOUND when there is none)."
      unassignStaff(input: AssignmentInput!): Boolean!
    }
  `,
  resolvers: {
    Query: {
      patients: async (_: unknown, args: PageArgs, ctx: GraphQLContext) => viewPage(await listPatients(ctx.deps, ctx.principal, pageInput(args))),
      patient: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => patientView(await getPatient(ctx.deps, ctx.principal, args.id)),
      patientByMrn: async (_: unknown, args: { mrn: string }, ctx: GraphQLContext) =>
        patientView(await findPatientByMrn(ctx.deps, ctx.principal, validInput(LookupSchema, args).mrn)),
      myPatient: async (_: unknown, __: unknown, ctx: GraphQLContext) => patientView(await myPatient(ctx.deps, ctx.principal)),
      doctors: (_: unknown, args: PageArgs, ctx: GraphQLContext) => listDoctors(ctx.deps, ctx.principal, pageInput(args)),
      myDoctors: (_: unknown, __: unknown, ctx: GraphQLContext) => myDoctors(ctx.deps, ctx.principal),
    },
    Mutation: {
      registerPatient: async (_: unknown, args: { input: unknown }, ctx: GraphQLContext) =>
        patientView(await createPatient(ctx.deps, ctx.principal, validInput(PatientCreateSchema, withoutNulls(args.input as Record<string, unknown>)))),
      updatePatient: async (_: unknown, args: { id: string; patch: Record<string, unknown> }, ctx: GraphQLContext) =>
        // An explicit null clears a nullable field, as in a REST PATCH; so nulls are kept here.
        patientView(await updatePatient(ctx.deps, ctx.principal, args.id, validInput(PatientPatchBodySchema, args.patch))),
      chooseDoctors: (_: unknown, args: { doctor_ids: string[] }, ctx: GraphQLContext) => chooseDoctors(ctx.deps, ctx.principal, validInput(ChooseDoctorsSchema, args)),
      dropDoctor: async (_: unknown, args: { doctor_id: string }, ctx: GraphQLContext) => {
        await dropDoctor(ctx.deps, ctx.principal, args.doctor_id);
        return true;
      },
      assignStaff: (_: unknown, args: { input: unknown }, ctx: GraphQLContext) => assignStaff(ctx.deps, ctx.principal, validInput(AssignmentSchema, args.input)),
      unassignStaff: async (_: unknown, args: { input: unknown }, ctx: GraphQLContext) => {
        await unassignStaff(ctx.deps, ctx.principal, validInput(AssignmentSchema, args.input));
        return true;
      },
    },
  },
};
