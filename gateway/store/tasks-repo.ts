/**
 * Checklist tasks of a patient (issue 8): sealed with the patient's key, indexed per patient by
 * `<patient id>:<task id>` (ids only). Tasks are created in the batch that settles their note;
 * a status change is one synced write with its `task.updated` outbox event.
 */
import { WardClerkError } from '../../core/errors.js';
import { TaskRecordSchema, type TaskRecord } from '../../core/care/records.js';
import type { RawOp } from './group-commit.js';
import { pageQuery, type Page } from './notes-repo.js';
import type { TenantScope } from './patient-seal.js';
import type { StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

const EMPTY = new Uint8Array(0);
export const TASK_ID_RE = /^tk_[0-9A-HJKMNP-TV-Z]{26}$/;

export class TasksRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Operations that store `task` (and, when `fresh`, its patient index entry). */
  ops(scope: TenantScope, seal: SealWith, task: TaskRecord, fresh = false): RawOp[] {
    const ops = [this.#ctx.vault.put(scope.tables.tasks, task.task_id, TaskRecordSchema.parse(task), seal)];
    if (fresh) ops.push({ type: 'put', key: scope.tables.tasksByPatient.fullKey(`${task.patient_id}:${task.task_id}`), value: EMPTY });
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
    const { cursor, limit } = pageQuery(query, TASK_ID_RE);
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return { items: [], next_cursor: null };
    const items: TaskRecord[] = [];
    const range = cursor ? { gt: `${patientId}:${cursor}` } : { gt: `${patientId}:` };
    for await (const key of tables.tasksByPatient.sub.keys({ ...range, lt: `${patientId};` })) {
      const task = await this.get(tenantId, key.slice(patientId.length + 1));
      if (!task || task.patient_id !== patientId || (query.status && task.status !== query.status)) continue;
      if (items.push(task) > limit) break;
    }
    if (items.length > limit) {
      items.length = limit;
      return { items, next_cursor: items[limit - 1]!.task_id };
    }
    return { items, next_cursor: null };
  }

  /** Stores a changed task with the operations that go with it (its event) in one synced batch. */
  async write(scope: TenantScope, seal: SealWith, task: TaskRecord, alsoWrite: RawOp[] = []): Promise<void> {
    if (!TASK_ID_RE.test(task.task_id)) throw new WardClerkError('VALIDATION_FAILED', 'bad task id', { details: { field: 'task_id' } });
    await this.#ctx.writer.write([...this.ops(scope, seal, task), ...alsoWrite]);
  }
}
