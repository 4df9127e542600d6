/**
 * Doctors' notes (issue 8): sealed with the patient's key, listed per patient through
 * `<patient id>:<note id>` keys (ids only). A note is stored together with a one-item job record
 * (tenant key, ids and counts only) so API clients can follow it like a batch job; the pipeline's
 * outcome updates both in the same batch as the plan it creates (care-plans-repo.ts). A new note
 * is also entered in the note queue (note-queue-repo.ts) in that same batch, so a note is never
 * stored without a record that its job still has to be queued.
 */
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { NoteRecordSchema, type NoteRecord } from '../../core/care/records.js';
import type { RawOp } from './group-commit.js';
import type { NoteQueueRepo } from './note-queue-repo.js';
import { listPatientIndex, patientIndexOp, type Page } from './patient-index.js';
import { patientSeal, tenantScope, type TenantScope } from './patient-seal.js';
import { JobRecordSchema, type JobRecord } from './records.js';
import type { StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

export const NOTE_ID_RE = /^nt_[0-9A-HJKMNP-TV-Z]{26}$/;

/** What a caller gives to store a new note. */
export type NoteInput = Pick<NoteRecord, 'patient_id' | 'author' | 'text' | 'source' | 'ocr_confidence' | 'note_date'>;

export class NotesRepo {
  readonly #ctx: StoreContext;
  readonly #queue: NoteQueueRepo;

  constructor(ctx: StoreContext, queue: NoteQueueRepo) {
    this.#ctx = ctx;
    this.#queue = queue;
  }

  /** Runs `fn` alone for this patient's notes and plans (one settle or plan edit at a time). */
  lockPatient<T>(tenantId: string, patientId: string, fn: () => Promise<T>): Promise<T> {
    return this.#ctx.locks.run(`care:${tenantId}:${patientId}`, fn);
  }

  /** The tenant scope and the patient's seal; NOT_FOUND (resource patient) when the patient has no key. */
  async seal(tenantId: string, patientId: string): Promise<{ scope: TenantScope; seal: SealWith }> {
    const scope = await tenantScope(this.#ctx, tenantId);
    const seal = await patientSeal(this.#ctx, scope, tenantId, patientId);
    if (!seal) throw new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
    return { scope, seal };
  }

  /**
   * Stores a new pending note, its job and its note-queue entry in ONE synced batch (with
   * `alsoWrite`, e.g. an outbox event). The caller then queues the job (care-plans/note-queue.ts).
   */
  async create(tenantId: string, input: NoteInput, alsoWrite: RawOp[] = []): Promise<{ note: NoteRecord; job: JobRecord }> {
    const { scope, seal } = await this.seal(tenantId, input.patient_id);
    const now = new Date().toISOString();
    const note: NoteRecord = NoteRecordSchema.parse({
      ...input, note_id: newId('nt'), tenant_id: tenantId, job_id: newId('job'), status: 'pending', care_plan_id: null, task_ids: [],
      items: null, extraction: null, error: null, created_at: now, processed_at: null,
    });
    const job: JobRecord = { job_id: note.job_id, tenant_id: tenantId, total: 1, completed: 0, failed: 0, created_at: now, updated_at: now, errors: [] };
    await this.#ctx.writer.write([...this.ops(scope, seal, note, true), this.jobOp(scope, job), this.#queue.op(tenantId, note.note_id), ...alsoWrite]);
    return { note, job };
  }

  /** Operations that store `note` (and, when `fresh`, its patient index entry). */
  ops(scope: TenantScope, seal: SealWith, note: NoteRecord, fresh = false): RawOp[] {
    const ops = [this.#ctx.vault.put(scope.tables.notes, note.note_id, note, seal)];
    if (fresh) ops.push(patientIndexOp(scope.tables.notesByPatient, note.patient_id, note.note_id));
    return ops;
  }

  /** The operation that stores a note's job record (tenant key: ids and counts only). */
  jobOp(scope: TenantScope, job: JobRecord): RawOp {
    return this.#ctx.vault.put(scope.tables.jobs, job.job_id, job, { kind: 'tenant', keys: scope.keys });
  }

  /** A note's job record, or null. */
  async job(tenantId: string, jobId: string): Promise<JobRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return null;
    return this.#ctx.vault.get(tables.jobs, jobId, tenantId, JobRecordSchema);
  }

  /** The note, or null (unknown id, another tenant's). */
  async get(tenantId: string, noteId: string): Promise<NoteRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !NOTE_ID_RE.test(noteId)) return null;
    return this.#ctx.vault.get(tables.notes, noteId, tenantId, NoteRecordSchema);
  }

  /** A patient's notes, oldest first, a page at a time. */
  async listByPatient(tenantId: string, patientId: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<NoteRecord>> {
    return listPatientIndex(this.#ctx.layout.tenant(tenantId)?.notesByPatient, patientId, query, {
      idRe: NOTE_ID_RE, get: (id) => this.get(tenantId, id), idOf: (note) => note.note_id,
    });
  }
}
