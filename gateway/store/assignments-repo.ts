/**
 * Care-team assignments: which doctors and nurses look after which patient. Two key-only indexes,
 * `assignmentsByStaff` (`<staff user id>:<patient id>`) and `assignmentsByPatient`
 * (`<patient id>:<staff user id>`), always written and removed together in one batch. Keys hold
 * random ids only; the values are empty.
 */
import type { RawOp } from './group-commit.js';
import { PATIENT_ID_RE } from './patient-seal.js';
import { MAX_PAGE, type StoreContext } from './store-context.js';

const EMPTY = new Uint8Array(0);
/** Ids that may appear in an assignment key (ours are `usr_…` / `pt_…`; `:` would break the key). */
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export class AssignmentsRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** The operations that assign `staffUserId` to `patientId` (commit them in one batch, with others if needed). */
  assignOps(tenantId: string, staffUserId: string, patientId: string): RawOp[] {
    const t = this.#tables(tenantId, staffUserId, patientId);
    return [
      { type: 'put', key: t.assignmentsByStaff.fullKey(`${staffUserId}:${patientId}`), value: EMPTY },
      { type: 'put', key: t.assignmentsByPatient.fullKey(`${patientId}:${staffUserId}`), value: EMPTY },
    ];
  }

  /** The operations that remove an assignment (idempotent). */
  unassignOps(tenantId: string, staffUserId: string, patientId: string): RawOp[] {
    const t = this.#tables(tenantId, staffUserId, patientId);
    return [
      { type: 'del', key: t.assignmentsByStaff.fullKey(`${staffUserId}:${patientId}`) },
      { type: 'del', key: t.assignmentsByPatient.fullKey(`${patientId}:${staffUserId}`) },
    ];
  }

  /** Assigns durably (both indexes in one synced batch). Assigning twice is a no-op. */
  async assign(tenantId: string, staffUserId: string, patientId: string): Promise<void> {
    await this.#ctx.writer.write(this.assignOps(tenantId, staffUserId, patientId));
  }

  /** Writes assignment operations (from assignOps/unassignOps, possibly several) in one synced batch. */
  async write(ops: RawOp[]): Promise<void> {
    if (ops.length > 0) await this.#ctx.writer.write(ops);
  }

  /** Unassigns durably; true when there was an assignment. */
  async unassign(tenantId: string, staffUserId: string, patientId: string): Promise<boolean> {
    if (!(await this.isAssigned(tenantId, staffUserId, patientId))) return false;
    await this.#ctx.writer.write(this.unassignOps(tenantId, staffUserId, patientId));
    return true;
  }

  /** Whether the staff member is on the patient's care team. */
  async isAssigned(tenantId: string, staffUserId: string, patientId: string): Promise<boolean> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t || !ID_RE.test(staffUserId) || !PATIENT_ID_RE.test(patientId)) return false;
    return (await t.assignmentsByStaff.sub.get(`${staffUserId}:${patientId}`)) !== undefined;
  }

  /** The staff user ids assigned to a patient (the care team), in id order. */
  async staffOf(tenantId: string, patientId: string): Promise<string[]> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t || !PATIENT_ID_RE.test(patientId)) return [];
    const out: string[] = [];
    for await (const key of t.assignmentsByPatient.sub.keys({ gt: `${patientId}:`, lt: `${patientId};`, limit: 1000 })) {
      out.push(key.slice(patientId.length + 1));
    }
    return out;
  }

  /**
   * A page of the patient ids assigned to a staff member, in id (creation) order, after `cursor`
   * (a patient id). `limit` 1..100.
   */
  async patientsOf(tenantId: string, staffUserId: string, query: { cursor?: string; limit: number }): Promise<{ ids: string[]; next_cursor: string | null }> {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t || !ID_RE.test(staffUserId)) return { ids: [], next_cursor: null };
    const limit = Math.min(Math.max(1, query.limit), MAX_PAGE);
    const lower = query.cursor !== undefined ? { gt: `${staffUserId}:${query.cursor}` } : { gt: `${staffUserId}:` };
    const ids: string[] = [];
    for await (const key of t.assignmentsByStaff.sub.keys({ ...lower, lt: `${staffUserId};`, limit: limit + 1 })) {
      ids.push(key.slice(staffUserId.length + 1));
    }
    if (ids.length <= limit) return { ids, next_cursor: null };
    ids.length = limit;
    return { ids, next_cursor: ids[limit - 1]! };
  }

  #tables(tenantId: string, staffUserId: string, patientId: string) {
    const t = this.#ctx.layout.tenant(tenantId);
    if (!t || !ID_RE.test(staffUserId) || !PATIENT_ID_RE.test(patientId)) {
      // Callers check tenant, user and patient first; reaching here is a bug, not bad input.
      throw new Error('assignment ids must be a tenant id, a user id and a patient id');
    }
    return t;
  }
}
