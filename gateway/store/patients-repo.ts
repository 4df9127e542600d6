/**
 * Patients of a tenant: records sealed with the patient's own key (patient-seal.ts), an MRN blind
 * index (`patientsByMrn`) and the patient user's link (`patientsByUser`), both pointers sealed with
 * the tenant key. Writes that touch an index run under one per-tenant lock, so two registrations
 * of the same MRN cannot both succeed; a rejected write stores nothing (not even a patient key).
 */
import { z } from 'zod';
import { blindIndex, idTime, newId, normaliseForIndex } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { assertTimeZone } from '../../core/schedule/local-time.js';
import type { RawOp } from './group-commit.js';
import { PATIENT_ID_RE, patientSeal, tenantScope, type TenantScope } from './patient-seal.js';
import {
  PatientInputSchema, PatientPatchSchema, PatientRecordSchema, type PatientInput, type PatientPage, type PatientPatch,
  type PatientRecord,
} from './patient-records.js';
import { MAX_PAGE, type StoreContext } from './store-context.js';

const PointerSchema = z.object({ patient_id: z.string().regex(PATIENT_ID_RE) });
const DEFAULT_PAGE = 50;

/** Checks `value` against `schema`; VALIDATION_FAILED naming the paths (never the values, which are PHI). */
export function parseOrInvalid<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', { details: { issues } });
}

/** The MRN's blind index; `mrn:` separates it from other blind indexes under the same key. */
function mrnIndex(scope: TenantScope, mrn: string): string {
  return blindIndex(scope.keys.indexKey, `mrn:${normaliseForIndex(mrn)}`);
}

function duplicateMrn(): WardClerkError {
  return new WardClerkError('CONFLICT', 'A patient with this MRN already exists in the tenant', { details: { field: 'mrn', reason: 'duplicate_mrn' } });
}

export interface CreatePatientOptions {
  /** The patient user's account id, when the patient has one. */
  userId?: string | null;
  /** Who registers the record (a user id, client id, or `system`). */
  createdBy: string;
  /** Operations committed in the same batch (an assignment, an outbox event). */
  alsoWrite?: (record: PatientRecord) => RawOp[];
}

export class PatientsRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  #lockKey(tenantId: string): string {
    return `patients:index:${tenantId}`;
  }

  /**
   * Registers a patient durably. VALIDATION_FAILED / INVALID_TIME_ZONE for bad input; CONFLICT
   * (409, reason `duplicate_mrn`) when the MRN is taken, or `user_linked` when the user already
   * has a patient record; NOT_FOUND for an unknown tenant. Nothing is stored when it throws.
   */
  async create(tenantId: string, input: PatientInput, options: CreatePatientOptions): Promise<PatientRecord> {
    const data = parseOrInvalid(PatientInputSchema, input);
    const zone = assertTimeZone(data.time_zone);
    const scope = await tenantScope(this.#ctx, tenantId);
    const { vault, writer, locks } = this.#ctx;
    return locks.run(this.#lockKey(tenantId), async () => {
      const mrn = data.mrn ?? null;
      const userId = options.userId ?? null;
      if (mrn !== null && (await this.#pointer(scope, 'mrn', mrnIndex(scope, mrn), tenantId))) throw duplicateMrn();
      if (userId !== null && (await this.#pointer(scope, 'user', userId, tenantId))) {
        throw new WardClerkError('CONFLICT', 'This user already has a patient record', { details: { reason: 'user_linked' } });
      }
      const id = newId('pt');
      const now = new Date(idTime(id)!).toISOString();
      const record: PatientRecord = {
        patient_id: id, tenant_id: tenantId, user_id: userId, name: data.name, birth_date: data.birth_date ?? null,
        sex: data.sex ?? 'unknown', time_zone: zone, mrn, created_by: options.createdBy, created_at: now, updated_at: now,
      };
      const seal = (await patientSeal(this.#ctx, scope, tenantId, id, true))!;
      const ops: RawOp[] = [vault.put(scope.tables.patients, id, record, seal)];
      const pointer = { patient_id: id };
      if (mrn !== null) ops.push(vault.put(scope.tables.patientsByMrn, mrnIndex(scope, mrn), pointer, { kind: 'tenant', keys: scope.keys }));
      if (userId !== null) ops.push(vault.put(scope.tables.patientsByUser, userId, pointer, { kind: 'tenant', keys: scope.keys }));
      await writer.write(options.alsoWrite ? [...ops, ...options.alsoWrite(record)] : ops);
      return record;
    });
  }

  async #pointer(scope: TenantScope, kind: 'mrn' | 'user', key: string, tenantId: string): Promise<string | null> {
    const table = kind === 'mrn' ? scope.tables.patientsByMrn : scope.tables.patientsByUser;
    return (await this.#ctx.vault.get(table, key, tenantId, PointerSchema))?.patient_id ?? null;
  }

  /** The patient, or null (unknown id, another tenant's id, or a crypto-shredded patient). */
  async get(tenantId: string, patientId: string): Promise<PatientRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || typeof patientId !== 'string' || !PATIENT_ID_RE.test(patientId)) return null;
    const rec = await this.#ctx.vault.get(tables.patients, patientId, tenantId, PatientRecordSchema);
    return rec && rec.tenant_id === tenantId && rec.patient_id === patientId ? rec : null;
  }

  /** The patient with this MRN (compared normalised), or null. The lookup key is a blind index. */
  async findByMrn(tenantId: string, mrn: string): Promise<PatientRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return null;
    const scope = await tenantScope(this.#ctx, tenantId);
    const id = await this.#pointer(scope, 'mrn', mrnIndex(scope, mrn), tenantId);
    const rec = id ? await this.get(tenantId, id) : null;
    // The index is a pointer only: the record itself must agree.
    return rec && rec.mrn !== null && normaliseForIndex(rec.mrn) === normaliseForIndex(mrn) ? rec : null;
  }

  /** The patient record of a patient user, or null. */
  async findByUser(tenantId: string, userId: string): Promise<PatientRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return null;
    const scope = await tenantScope(this.#ctx, tenantId);
    const id = await this.#pointer(scope, 'user', userId, tenantId);
    const rec = id ? await this.get(tenantId, id) : null;
    return rec && rec.user_id === userId ? rec : null;
  }

  /** A page of all the tenant's patients in creation order; `limit` 1..100 (default 50). */
  async list(tenantId: string, query: { cursor?: string; limit?: number } = {}): Promise<PatientPage> {
    const limit = pageLimit(query.limit);
    if (query.cursor !== undefined && !PATIENT_ID_RE.test(query.cursor)) throw badCursor();
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return { items: [], next_cursor: null };
    const items: PatientRecord[] = [];
    const range = query.cursor !== undefined ? { gt: query.cursor } : {};
    for await (const [key, bytes] of tables.patients.sub.iterator(range)) {
      const rec = await this.#ctx.vault.decode(tables.patients.fullKey(key), bytes, tenantId, PatientRecordSchema);
      if (rec && items.push(rec) > limit) break;
    }
    return page(items, limit);
  }

  /**
   * Applies a patch durably under the tenant's index lock. Null when there is no such patient;
   * VALIDATION_FAILED / INVALID_TIME_ZONE / CONFLICT (duplicate MRN) as {@link create}.
   * `alsoWrite` ops (a zone change's re-planned reminders) commit in the same batch, or not at all.
   */
  async update(tenantId: string, patientId: string, patch: PatientPatch, options: { alsoWrite?: RawOp[] } = {}): Promise<PatientRecord | null> {
    const data = parseOrInvalid(PatientPatchSchema, patch);
    if (data.time_zone !== undefined) assertTimeZone(data.time_zone);
    const scope = await tenantScope(this.#ctx, tenantId);
    return this.#ctx.locks.run(this.#lockKey(tenantId), async () => {
      const current = await this.get(tenantId, patientId);
      if (!current) return null;
      const next: PatientRecord = { ...current, updated_at: new Date().toISOString() };
      if (data.name !== undefined) next.name = data.name;
      if (data.birth_date !== undefined) next.birth_date = data.birth_date;
      if (data.sex !== undefined) next.sex = data.sex;
      if (data.time_zone !== undefined) next.time_zone = data.time_zone;
      if (data.mrn !== undefined) next.mrn = data.mrn;
      const ops: RawOp[] = [];
      const oldIdx = current.mrn === null ? null : mrnIndex(scope, current.mrn);
      const newIdx = next.mrn === null ? null : mrnIndex(scope, next.mrn);
      if (oldIdx !== newIdx) {
        if (newIdx !== null) {
          if (await this.#pointer(scope, 'mrn', newIdx, tenantId)) throw duplicateMrn();
          ops.push(this.#ctx.vault.put(scope.tables.patientsByMrn, newIdx, { patient_id: patientId }, { kind: 'tenant', keys: scope.keys }));
        }
        if (oldIdx !== null) ops.push({ type: 'del', key: scope.tables.patientsByMrn.fullKey(oldIdx) });
      }
      return this.#write(scope, tenantId, next, [...ops, ...(options.alsoWrite ?? [])]);
    });
  }

  /**
   * Links a patient record that has no account yet to a patient user. Null when there is no such
   * patient; CONFLICT when the record or the user is already linked elsewhere.
   */
  async linkUser(tenantId: string, patientId: string, userId: string): Promise<PatientRecord | null> {
    const scope = await tenantScope(this.#ctx, tenantId);
    return this.#ctx.locks.run(this.#lockKey(tenantId), async () => {
      const current = await this.get(tenantId, patientId);
      if (!current) return null;
      if (current.user_id === userId) return current;
      if (current.user_id !== null || (await this.#pointer(scope, 'user', userId, tenantId))) {
        throw new WardClerkError('CONFLICT', 'The patient record or the user is already linked', { details: { reason: 'user_linked' } });
      }
      const next = { ...current, user_id: userId, updated_at: new Date().toISOString() };
      const op = this.#ctx.vault.put(scope.tables.patientsByUser, userId, { patient_id: patientId }, { kind: 'tenant', keys: scope.keys });
      return this.#write(scope, tenantId, next, [op]);
    });
  }

  async #write(scope: TenantScope, tenantId: string, record: PatientRecord, extra: RawOp[]): Promise<PatientRecord> {
    const seal = await patientSeal(this.#ctx, scope, tenantId, record.patient_id);
    // A record whose key is gone was shredded between the read and now: treat it as missing.
    if (!seal) throw new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
    await this.#ctx.writer.write([this.#ctx.vault.put(scope.tables.patients, record.patient_id, record, seal), ...extra]);
    return record;
  }
}

/** Page size from a query: an integer 1..100, default 50; anything else is VALIDATION_FAILED. */
export function pageLimit(limit: number | undefined): number {
  const n = limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new WardClerkError('VALIDATION_FAILED', `limit must be an integer from 1 to ${MAX_PAGE}`, { details: { field: 'limit' } });
  }
  return n;
}

function badCursor(): WardClerkError {
  return new WardClerkError('VALIDATION_FAILED', 'cursor is not one this API returned', { details: { field: 'cursor' } });
}

function page(items: PatientRecord[], limit: number): PatientPage {
  if (items.length <= limit) return { items, next_cursor: null };
  items.length = limit;
  return { items, next_cursor: items[limit - 1]!.patient_id };
}
