/**
 * Notes and care plans as service functions `(deps, principal, input)`: the REST routes
 * (routes.ts) and GraphQL call these same functions, so there is one permission model. Every
 * function first loads the patient through people/access.ts: a caller who may not see the patient
 * gets 404, exactly as for a patient that does not exist.
 */
import { WardClerkError } from '../../core/errors.js';
import type { Actor, CarePlanRecord, NoteRecord } from '../../core/care/records.js';
import { loadPatientFor } from '../people/access.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import type { Page } from '../store/patient-index.js';
import { publishNoteJob } from './note-queue.js';
import { settleNote } from './settle-note.js';

/** What the care-plans services use of the gateway's deps. */
export type CareDeps = Pick<GatewayDeps, 'store' | 'bus' | 'events' | 'scheduler' | 'log'>;

/** A note as submitted (after the body was read: JSON text, or a file's text). */
export interface NoteSubmission {
  text: string;
  source: NoteRecord['source'];
  ocrConfidence?: number | undefined;
  /** ISO date the note was written; default: today in the patient's zone. */
  noteDate?: string | undefined;
}

/** The actor a principal acts as (operator principals never reach here: they see no patient). */
export function actorOf(p: Principal): Actor {
  return p.kind === 'user' ? { kind: 'user', id: p.sub, role: p.role } : { kind: 'client', id: p.sub, role: null };
}

/** Today's date in `zone` (ISO), for a note with no date of its own. */
export function todayIn(zone: string, now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A note body that is no text: NUL bytes or mostly control characters (an image or archive sent as text). */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.05;
}

/** A real calendar date as YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

function forbidden(): WardClerkError {
  return new WardClerkError('FORBIDDEN', 'Only the doctors and nurses assigned to the patient (or an API client with patients:write) may add notes', {
    details: { allowed_roles: ['doctor', 'nurse'] },
  });
}

/**
 * Stores a note for the patient and queues its pipeline (202: the job). Doctors and nurses assigned
 * to the patient, and API clients with `patients:write`. EMPTY_TEXT for a blank note,
 * UNREADABLE_FILE for binary content, VALIDATION_FAILED for a bad note_date: nothing is stored.
 */
export async function createNote(deps: CareDeps, principal: Principal, patientId: string, input: NoteSubmission): Promise<{ note: NoteRecord; job_id: string }> {
  const patient = await loadPatientFor(deps, principal, patientId, 'write');
  if (principal.kind === 'user' && principal.role !== 'doctor' && principal.role !== 'nurse') throw forbidden();
  if (input.text.trim() === '') throw new WardClerkError('EMPTY_TEXT', 'The note text is empty');
  if (looksBinary(input.text)) throw new WardClerkError('UNREADABLE_FILE', 'The note is not text', { details: { reason: 'binary' } });
  const noteDate = input.noteDate ?? todayIn(patient.time_zone);
  if (!isIsoDate(noteDate)) {
    throw new WardClerkError('VALIDATION_FAILED', 'note_date must be an ISO date (YYYY-MM-DD)', { details: { field: 'note_date' } });
  }
  const tenantId = patient.tenant_id;
  const { note, job } = await deps.store.notes.create(tenantId, {
    patient_id: patient.patient_id, author: actorOf(principal), text: input.text, source: input.source,
    ocr_confidence: input.ocrConfidence ?? null, note_date: noteDate,
  });
  // Ids only on the stream; the note id de-duplicates a retried publish. The note's queue entry,
  // stored with it, is removed once the job is queued; were this process to die first, the next
  // start queues the job (note-queue.ts).
  try {
    await publishNoteJob(deps.bus.js, tenantId, note.note_id);
  } catch (e) {
    // Not queued: the note is settled as failed now (never left pending for ever), and the caller told.
    // Should even that fail, the queue entry stays and the re-queue timer queues the note later.
    const error = new WardClerkError('OVERLOADED', 'The work queue did not take the note; send it again', { cause: e });
    await settleNote({ ...deps, now: () => deps.scheduler.ctx.clock.now() }, tenantId, note.note_id, { ok: false, code: error.code, message: error.message })
      .then(() => deps.store.noteQueue.remove([note.note_id]))
      .catch((x: unknown) => deps.log.error({ note_id: note.note_id, err: { type: (x as Error)?.name } }, 'note left pending'));
    throw error;
  }
  // The job is queued: a removal that fails only leaves an entry the re-queue drops or de-duplicates.
  await deps.store.noteQueue.remove([note.note_id])
    .catch((x: unknown) => deps.log.warn({ note_id: note.note_id, err: { type: (x as Error)?.name } }, 'note queue entry not removed'));
  deps.log.info({ note_id: note.note_id, job_id: job.job_id }, 'note queued');
  return { note, job_id: job.job_id };
}

/** The patient's notes, oldest first. */
export async function listNotes(deps: CareDeps, principal: Principal, patientId: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<NoteRecord>> {
  const patient = await loadPatientFor(deps, principal, patientId);
  return deps.store.notes.listByPatient(patient.tenant_id, patient.patient_id, query);
}

/** One note of the patient; NOT_FOUND (resource note) for a note that is not theirs. */
export async function getNote(deps: CareDeps, principal: Principal, patientId: string, noteId: string): Promise<NoteRecord> {
  const patient = await loadPatientFor(deps, principal, patientId);
  const note = await deps.store.notes.get(patient.tenant_id, noteId);
  if (!note || note.patient_id !== patient.patient_id) throw new WardClerkError('NOT_FOUND', 'No such note', { details: { resource: 'note' } });
  return note;
}

/** The patient's active care plan; NOT_FOUND (resource care_plan) when there is none. */
export async function getCurrentCarePlan(deps: CareDeps, principal: Principal, patientId: string): Promise<CarePlanRecord> {
  const patient = await loadPatientFor(deps, principal, patientId);
  const plan = await deps.store.carePlans.active(patient.tenant_id, patient.patient_id);
  if (!plan) throw new WardClerkError('NOT_FOUND', 'The patient has no active care plan', { details: { resource: 'care_plan' } });
  return plan;
}

/** Every plan of the patient, oldest first, superseded (revoked) ones included. */
export async function listCarePlans(deps: CareDeps, principal: Principal, patientId: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<CarePlanRecord>> {
  const patient = await loadPatientFor(deps, principal, patientId);
  return deps.store.carePlans.listByPatient(patient.tenant_id, patient.patient_id, query);
}
