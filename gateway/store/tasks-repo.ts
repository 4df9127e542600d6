/**
 * Checklist tasks of a patient (issue 8): sealed with the patient's key, indexed per patient by
 * `<patient id>:<task id>` (ids only). Tasks are created in the batch that settles their note;
 * a status change is one synced write with its `task.updated` outbox event.
 */
import { WardClerkError } from '../../core/errors.js';
import { TaskRecordSchema, type TaskRecord } from '../../core/care/records.js';
import type { RawOp } from './group-commit.js';
import { listPatientIndex, patientIndexOp, type Page } from './patient-index.js';
import type { TenantScope } from './patient-seal.js';
import type { StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

export const TASK_ID_RE = /^tk_[0-9A-HJKMNP-TV-Z]{26}$/;

export class TasksRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Operations that store `task` (and, when `fresh`, its patient index entry). */
  ops(scope: TenantScope, seal: SealWith, task: TaskRecord, fresh = false): RawOp[] {
    const ops = [this.#ctx.vault.put(scope.tables.tasks, task.task_id, TaskRecordSchema.parse(task), seal)];
    if (fresh) ops.push(patientIndexOp(scope.tables.tasksByPatient, task.patient_id, task.task_id));
    return ops;
  }

  /** The task, or null (unknown id, another tenant's). */
  async get(tenantId: string, taskId: string): Promise<TaskRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !TASK_ID_RE.test(taskId)) return null;
    return this.#ctx.vault.get(tables.tasks, taskId, tenantId, TaskRecordSchema);
  }

  /** A patient's tasks, oldest first, optionally only those of one status. */
  async listByPatient(tenantId: string, patientId: string, query: { cursor?: string; limit?: number; status?: TaskRecord['status'] } = {}): Promise<Page<TaskRecord>> {
    const { status } = query;
    return listPatientIndex(this.#ctx.layout.tenant(tenantId)?.tasksByPatient, patientId, query, {
      idRe: TASK_ID_RE, get: (id) => this.get(tenantId, id), idOf: (task) => task.task_id, keep: (task) => !status || task.status === status,
    });
  }

  /** Stores a changed task with the operations that go with it (its event) in one synced batch. */
  async write(scope: TenantScope, seal: SealWith, task: TaskRecord, alsoWrite: RawOp[] = []): Promise<void> {
    if (!TASK_ID_RE.test(task.task_id)) throw new WardClerkError('VALIDATION_FAILED', 'bad task id', { details: { field: 'task_id' } });
    await this.#ctx.writer.write([...this.ops(scope, seal, task), ...alsoWrite]);
  }
}
