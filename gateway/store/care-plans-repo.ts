/**
 * Care plans (issue 8): sealed with the patient's key; `<patient id>:<plan id>` lists a patient's
 * plans (history, oldest first) and `active:<patient id>` points at the one active plan (the
 * pointer sealed too). Writing a new plan, revoking the old one and moving the pointer are
 * operations for ONE batch (gateway/care-plans/settle-note.ts), so after any crash exactly one of
 * old and new is active.
 */
import { z } from 'zod';
import { CarePlanRecordSchema, type CarePlanRecord } from '../../core/care/records.js';
import type { RawOp } from './group-commit.js';
import { listPatientIndex, patientIndexOp, type Page } from './patient-index.js';
import type { TenantScope } from './patient-seal.js';
import type { StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

export const CARE_PLAN_ID_RE = /^cp_[0-9A-HJKMNP-TV-Z]{26}$/;
const ActivePointerSchema = z.object({ care_plan_id: z.string().regex(CARE_PLAN_ID_RE) });

export class CarePlansRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Operations that store `plan` (and, when `fresh`, its history index entry). */
  ops(scope: TenantScope, seal: SealWith, plan: CarePlanRecord, fresh = false): RawOp[] {
    const ops = [this.#ctx.vault.put(scope.tables.carePlans, plan.care_plan_id, CarePlanRecordSchema.parse(plan), seal)];
    if (fresh) ops.push(patientIndexOp(scope.tables.carePlansByPatient, plan.patient_id, plan.care_plan_id));
    return ops;
  }

  /** The operation that makes `planId` the patient's active plan. */
  activeOp(scope: TenantScope, seal: SealWith, patientId: string, planId: string): RawOp {
    return this.#ctx.vault.put(scope.tables.carePlansByPatient, `active:${patientId}`, { care_plan_id: planId }, seal);
  }

  /** The plan, or null (unknown id, another tenant's). */
  async get(tenantId: string, planId: string): Promise<CarePlanRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !CARE_PLAN_ID_RE.test(planId)) return null;
    return this.#ctx.vault.get(tables.carePlans, planId, tenantId, CarePlanRecordSchema);
  }

  /** The patient's active plan, or null when there is none. */
  async active(tenantId: string, patientId: string): Promise<CarePlanRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return null;
    const pointer = await this.#ctx.vault.get(tables.carePlansByPatient, `active:${patientId}`, tenantId, ActivePointerSchema);
    if (!pointer) return null;
    const plan = await this.get(tenantId, pointer.care_plan_id);
    return plan && plan.patient_id === patientId && plan.status === 'active' ? plan : null;
  }

  /** Every plan of the patient, oldest first (revoked ones included), a page at a time. */
  async listByPatient(tenantId: string, patientId: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<CarePlanRecord>> {
    return listPatientIndex(this.#ctx.layout.tenant(tenantId)?.carePlansByPatient, patientId, query, {
      idRe: CARE_PLAN_ID_RE, get: (id) => this.get(tenantId, id), idOf: (plan) => plan.care_plan_id,
    });
  }

  /** Durable write of operations built from this repo and others (one synced batch). */
  write(ops: RawOp[]): Promise<void> {
    return this.#ctx.writer.write(ops);
  }
}
