/**
 * Prescriptions: sealed with the patient's DEK when there is a patient_ref, else the tenant's;
 * written durably through the group-commit writer. Ids (`rx_` + time-sortable id) make list order
 * creation order and a cursor a key range. Indexes hold blind indexes and ids only.
 */
import { blindIndex, idFloorForTime, idTime, newId, normaliseForIndex } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from './group-commit.js';
import type { TenantKeys } from './keyring.js';
import type { TenantTables } from './layout.js';
import { matchesFilter, type PrescriptionFilter } from './prescription-filter.js';
import {
  PrescriptionWriteSchema, PrescriptionRecordSchema, type PrescriptionInput, type PrescriptionListQuery,
  type PrescriptionPage, type PrescriptionRecord,
} from './records.js';
import { MAX_PAGE, type StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

const EMPTY = new Uint8Array(0);
const RX_ID_RE = /^rx_[0-9A-HJKMNP-TV-Z]{26}$/;
const JOB_ID_RE = /^job_[0-9A-HJKMNP-TV-Z]{26}$/;
const DEFAULT_PAGE = 50;

function invalid(message: string, field: string): WardClerkError {
  return new WardClerkError('VALIDATION_FAILED', message, { details: { field } });
}

export class PrescriptionsRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async #tenant(tenantId: string): Promise<{ tables: TenantTables; keys: TenantKeys } | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    const keys = tables ? await this.#ctx.keyring.tenant(tenantId) : null;
    return tables && keys ? { tables, keys } : null;
  }

  /**
   * Stores a prescription durably (group-committed synced batch); NOT_FOUND for an unknown tenant.
   * `alsoWrite(record)` gives operations that join the same atomic batch (e.g. the outbox entry
   * of the event announcing the new record).
   */
  async create(tenantId: string, input: PrescriptionInput, alsoWrite?: (record: PrescriptionRecord) => RawOp[]): Promise<PrescriptionRecord> {
    const { record, ops } = await this.prepare(tenantId, input);
    await this.#ctx.writer.write(alsoWrite ? [...ops, ...alsoWrite(record)] : ops);
    return record;
  }

  /**
   * The record and the operations that store it (record + indexes), without writing them, so a
   * caller (jobs.completeItem) can commit them in one batch with other changes. A new patient's
   * DEK is made durable before this resolves.
   */
  async prepare(tenantId: string, input: PrescriptionInput): Promise<{ record: PrescriptionRecord; ops: RawOp[] }> {
    const t = await this.#tenant(tenantId);
    if (!t) throw new WardClerkError('NOT_FOUND', 'tenant not found', { details: { resource: 'tenant' } });
    const { vault, keyring } = this.#ctx;
    const data = PrescriptionWriteSchema.parse(input);
    const id = newId('rx');
    const record: PrescriptionRecord = {
      prescription_id: id,
      tenant_id: tenantId,
      created_at: new Date(idTime(id)!).toISOString(),
      ...data,
    };
    const ops: RawOp[] = [];
    let sealWith: SealWith = { kind: 'tenant', keys: t.keys };
    if (data.patient_ref !== null) {
      const patientId = keyring.patientId(t.keys, data.patient_ref);
      const dek = (await keyring.patient(tenantId, patientId, true))!;
      sealWith = { kind: 'patient', dek, patientId };
      ops.push({ type: 'put', key: t.tables.prescriptionsByPatient.fullKey(`${patientId}:${id}`), value: EMPTY });
    }
    if (data.external_id !== null) {
      const x = blindIndex(t.keys.indexKey, data.external_id);
      ops.push({ type: 'put', key: t.tables.prescriptionsByExternalId.fullKey(`${x}:${id}`), value: EMPTY });
    }
    if (data.job_id !== null) {
      ops.push({ type: 'put', key: t.tables.prescriptionsByJob.fullKey(`${data.job_id}:${id}`), value: EMPTY });
    }
    ops.unshift(vault.put(t.tables.prescriptions, id, record, sealWith));
    return { record, ops };
  }

  /** The prescription, or null when it does not exist in this tenant (another tenant's id included). */
  async get(tenantId: string, id: string): Promise<PrescriptionRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !RX_ID_RE.test(id)) return null;
    return this.#ctx.vault.get(tables.prescriptions, id, tenantId, PrescriptionRecordSchema);
  }

  /** Prescriptions of the tenant with this external id (normalised), oldest first. */
  async findByExternalId(tenantId: string, externalId: string): Promise<PrescriptionRecord[]> {
    const t = await this.#tenant(tenantId);
    if (!t) return [];
    const x = blindIndex(t.keys.indexKey, externalId);
    const out: PrescriptionRecord[] = [];
    for await (const key of t.tables.prescriptionsByExternalId.sub.keys({ gt: `${x}:`, lt: `${x};` })) {
      const rec = await this.get(tenantId, key.slice(x.length + 1));
      // The index is only a pointer: the decrypted record must agree with the query.
      if (rec && rec.external_id !== null && normaliseForIndex(rec.external_id) === normaliseForIndex(externalId)) out.push(rec);
    }
    return out;
  }

  /**
   * A page of the tenant's prescriptions in creation order. `cursor` is the previous page's
   * `next_cursor`; `limit` 1..100 (default 50). `job_id` lists one batch job's prescriptions
   * (combinable with the other filters). Bad limit/cursor/since → VALIDATION_FAILED.
   * An unknown tenant lists nothing.
   */
  async list(tenantId: string, query: PrescriptionListQuery): Promise<PrescriptionPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalid(`limit must be an integer from 1 to ${MAX_PAGE}`, 'limit');
    if (query.cursor !== undefined && !RX_ID_RE.test(query.cursor)) throw invalid('cursor is not one this API returned', 'cursor');
    let sinceMs: number | undefined;
    if (query.since !== undefined) {
      sinceMs = Date.parse(query.since);
      if (!Number.isFinite(sinceMs)) throw invalid('since must be an ISO 8601 date-time', 'since');
    }
    const t = await this.#tenant(tenantId);
    if (!t) return { items: [], next_cursor: null };

    // Lower bound of the id range: after the cursor, and no earlier than `since`.
    const floor = sinceMs === undefined ? null : idFloorForTime(sinceMs, 'rx');
    const after = query.cursor !== undefined && (floor === null || query.cursor >= floor) ? query.cursor : null;
    const filter: PrescriptionFilter = { disease: query.disease, doctor: query.doctor, sinceMs };
    const items: PrescriptionRecord[] = [];
    const wanted = limit + 1; // one extra tells whether another page exists

    if (query.job_id !== undefined) {
      // Job ids are random (no PHI), so the index key holds them as they are.
      const job = query.job_id;
      if (!JOB_ID_RE.test(job)) return { items: [], next_cursor: null };
      const range = after !== null ? { gt: `${job}:${after}` } : { gte: `${job}:${floor ?? ''}` };
      for await (const key of t.tables.prescriptionsByJob.sub.keys({ ...range, lt: `${job};` })) {
        const rec = await this.get(tenantId, key.slice(job.length + 1));
        if (!rec || rec.job_id !== job) continue;
        if (query.patient_ref !== undefined && (rec.patient_ref === null || normaliseForIndex(rec.patient_ref) !== normaliseForIndex(query.patient_ref))) continue;
        if (matchesFilter(rec, filter) && items.push(rec) >= wanted) break;
      }
    } else if (query.patient_ref !== undefined) {
      const pid = this.#ctx.keyring.patientId(t.keys, query.patient_ref);
      const range = after !== null ? { gt: `${pid}:${after}` } : { gte: `${pid}:${floor ?? ''}` };
      const ref = normaliseForIndex(query.patient_ref);
      for await (const key of t.tables.prescriptionsByPatient.sub.keys({ ...range, lt: `${pid};` })) {
        const rec = await this.get(tenantId, key.slice(pid.length + 1));
        if (!rec || rec.patient_ref === null || normaliseForIndex(rec.patient_ref) !== ref) continue;
        if (matchesFilter(rec, filter) && items.push(rec) >= wanted) break;
      }
    } else {
      const range = after !== null ? { gt: after } : floor !== null ? { gte: floor } : {};
      const table = t.tables.prescriptions;
      for await (const [key, bytes] of table.sub.iterator(range)) {
        const rec = await this.#ctx.vault.decode(table.fullKey(key), bytes, tenantId, PrescriptionRecordSchema);
        if (rec && matchesFilter(rec, filter) && items.push(rec) >= wanted) break;
      }
    }
    if (items.length > limit) {
      items.length = limit;
      return { items, next_cursor: items[limit - 1]!.prescription_id };
    }
    return { items, next_cursor: null };
  }
}
