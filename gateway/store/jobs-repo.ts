/**
 * Batch jobs and their items. A job and all its items are written in one synced batch; each item
 * completes or fails exactly once, atomically with the job counters (and, on success, the
 * prescription), serialised per job with an in-process lock. Re-running a delivered item is a
 * no-op that returns the earlier outcome, which is what makes the worker's retries safe.
 */
import { newId } from '../../core/crypto.js';
import type { Extraction } from '../../core/clinical/extraction.js';
import { WardClerkError } from '../../core/errors.js';
import { isJobDone, toJobView } from './job-view.js';
import type { RawOp } from './group-commit.js';
import type { TenantKeys } from './keyring.js';
import type { TenantTables } from './layout.js';
import type { PrescriptionsRepo } from './prescriptions-repo.js';
import {
  JobItemInputSchema, JobItemRecordSchema, JobRecordSchema, MAX_JOB_ITEMS, type JobItemInput,
  type JobItemRecord, type JobRecord, type JobView, type PrescriptionRecord,
} from './records.js';
import type { StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

const JOB_ID_RE = /^job_[0-9A-HJKMNP-TV-Z]{26}$/;

function itemKey(jobId: string, index: number): string {
  return `${jobId}:${String(index).padStart(4, '0')}`;
}

function notFound(resource: 'tenant' | 'job' | 'job_item'): WardClerkError {
  return new WardClerkError('NOT_FOUND', `${resource.replace('_', ' ')} not found`, { details: { resource } });
}

export class JobsRepo {
  readonly #ctx: StoreContext;
  readonly #prescriptions: PrescriptionsRepo;

  constructor(ctx: StoreContext, prescriptions: PrescriptionsRepo) {
    this.#ctx = ctx;
    this.#prescriptions = prescriptions;
  }

  async #tenant(tenantId: string): Promise<{ tables: TenantTables; keys: TenantKeys } | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    const keys = tables ? await this.#ctx.keyring.tenant(tenantId) : null;
    return tables && keys ? { tables, keys } : null;
  }

  async #sealFor(tenantId: string, keys: TenantKeys, patientRef: string | null): Promise<SealWith> {
    if (patientRef === null) return { kind: 'tenant', keys };
    const patientId = this.#ctx.keyring.patientId(keys, patientRef);
    const dek = (await this.#ctx.keyring.patient(tenantId, patientId, true))!;
    return { kind: 'patient', dek, patientId };
  }

  /**
   * Creates a job with 1..1000 items (each sealed, with the patient's key when it has a
   * patient_ref) in ONE synced batch. BATCH_TOO_LARGE past 1,000, VALIDATION_FAILED for none,
   * NOT_FOUND for an unknown tenant.
   */
  async create(tenantId: string, input: { items: JobItemInput[] }): Promise<JobRecord> {
    if (input.items.length > MAX_JOB_ITEMS) {
      throw new WardClerkError('BATCH_TOO_LARGE', `a batch holds at most ${MAX_JOB_ITEMS} items`, {
        details: { max: MAX_JOB_ITEMS, got: input.items.length },
      });
    }
    if (input.items.length === 0) {
      throw new WardClerkError('VALIDATION_FAILED', 'a batch needs at least one item', { details: { field: 'items' } });
    }
    const t = await this.#tenant(tenantId);
    if (!t) throw notFound('tenant');
    const items = input.items.map((raw) => JobItemInputSchema.parse(raw));
    const job_id = newId('job');
    const now = new Date().toISOString();
    const job: JobRecord = {
      job_id, tenant_id: tenantId, total: items.length, completed: 0, failed: 0, created_at: now, updated_at: now, errors: [],
    };
    const { vault } = this.#ctx;
    // Patient keys first (new ones are made durable, group-committed together), then one batch.
    const seals = await Promise.all(items.map((it) => this.#sealFor(tenantId, t.keys, it.patient_ref ?? null)));
    const ops = [vault.put(t.tables.jobs, job_id, job, { kind: 'tenant', keys: t.keys })];
    items.forEach((it, index) => {
      const rec: JobItemRecord = {
        index, text: it.text, patient_ref: it.patient_ref ?? null, external_id: it.external_id ?? null,
        state: 'pending', prescription_id: null, error: null,
      };
      ops.push(vault.put(t.tables.jobItems, itemKey(job_id, index), rec, seals[index]!));
    });
    await this.#ctx.writer.write(ops);
    return job;
  }

  async #job(tenantId: string, jobId: string): Promise<{ job: JobRecord; t: { tables: TenantTables; keys: TenantKeys } } | null> {
    if (!JOB_ID_RE.test(jobId)) return null;
    const t = await this.#tenant(tenantId);
    if (!t) return null;
    const job = await this.#ctx.vault.get(t.tables.jobs, jobId, tenantId, JobRecordSchema);
    return job ? { job, t } : null;
  }

  /** The job as the API reports it, or null (unknown id, or another tenant's). */
  async get(tenantId: string, jobId: string): Promise<JobView | null> {
    const found = await this.#job(tenantId, jobId);
    return found ? toJobView(found.job) : null;
  }

  /** One item of a job (with its note text, for the worker), or null. */
  async getItem(tenantId: string, jobId: string, index: number): Promise<JobItemRecord | null> {
    if (!JOB_ID_RE.test(jobId) || !Number.isInteger(index) || index < 0 || index >= MAX_JOB_ITEMS) return null;
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return null;
    return this.#ctx.vault.get(tables.jobItems, itemKey(jobId, index), tenantId, JobItemRecordSchema);
  }

  async #load(tenantId: string, jobId: string, index: number) {
    const found = await this.#job(tenantId, jobId);
    if (!found) throw notFound('job');
    const item = await this.getItem(tenantId, jobId, index);
    if (!item) throw notFound('job_item');
    return { ...found, item };
  }

  /**
   * Marks an item succeeded and stores its prescription, atomically (prescription + indexes + item
   * state + job counters in one synced batch). Idempotent: an item that already succeeded returns
   * its existing prescription with `created: false`. A previously failed item (e.g. dead-lettered,
   * then redelivered) is upgraded to succeeded. `jobDone` tells whether every item is now terminal.
   */
  async completeItem(tenantId: string, jobId: string, index: number, extraction: Extraction): Promise<{ prescription: PrescriptionRecord; created: boolean; jobDone: boolean }> {
    return this.#ctx.locks.run(`job:${tenantId}:${jobId}`, async () => {
      const { job, t, item } = await this.#load(tenantId, jobId, index);
      if (item.state === 'succeeded' && item.prescription_id !== null) {
        const existing = await this.#prescriptions.get(tenantId, item.prescription_id);
        if (!existing) {
          throw new WardClerkError('INTERNAL', 'a completed job item points to a missing prescription', {
            details: { reason: 'dangling_prescription', job_id: jobId, index },
          });
        }
        return { prescription: existing, created: false, jobDone: isJobDone(job) };
      }
      const { record, ops } = await this.#prescriptions.prepare(tenantId, {
        text: item.text, patient_ref: item.patient_ref, doctor: null, source: 'text',
        external_id: item.external_id, job_id: jobId, job_item_index: index, extraction,
      });
      const wasFailed = item.state === 'failed';
      const next: JobRecord = {
        ...job,
        completed: job.completed + 1,
        failed: wasFailed ? job.failed - 1 : job.failed,
        errors: wasFailed ? job.errors.filter((e) => e.index !== index) : job.errors,
        updated_at: new Date().toISOString(),
      };
      const done: JobItemRecord = { ...item, state: 'succeeded', prescription_id: record.prescription_id, error: null };
      const { vault } = this.#ctx;
      ops.push(
        vault.put(t.tables.jobItems, itemKey(jobId, index), done, await this.#sealFor(tenantId, t.keys, item.patient_ref)),
        vault.put(t.tables.jobs, jobId, next, { kind: 'tenant', keys: t.keys }),
      );
      await this.#ctx.writer.write(ops);
      return { prescription: record, created: true, jobDone: isJobDone(next) };
    });
  }

  /**
   * Items `index .. index+count-1` of a job (those that exist), in index order, read with one
   * range scan. Unknown job or tenant → empty.
   */
  async getItems(tenantId: string, jobId: string, index: number, count: number): Promise<JobItemRecord[]> {
    if (!JOB_ID_RE.test(jobId) || !Number.isInteger(index) || !Number.isInteger(count) || index < 0 || count < 1) return [];
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return [];
    const end = Math.min(index + count, MAX_JOB_ITEMS);
    const out: JobItemRecord[] = [];
    const table = tables.jobItems;
    for await (const [key, bytes] of table.sub.iterator({ gte: itemKey(jobId, index), lt: itemKey(jobId, end) })) {
      const rec = await this.#ctx.vault.decode(table.fullKey(key), bytes, tenantId, JobItemRecordSchema);
      if (rec) out.push(rec);
    }
    return out;
  }

  /**
   * Settles many items of one job at once: each `completed` item gets its prescription, each
   * `failed` item its coded error, and the job counters move once — all in ONE synced batch.
   * Idempotent per item, exactly like completeItem/failItem: an item that already succeeded keeps
   * its prescription (`created: false`); a failed item may still be upgraded to succeeded; a
   * terminal item is never failed again. Unknown job → NOT_FOUND; unknown indexes are skipped.
   */
  async settleItems(
    tenantId: string,
    jobId: string,
    settle: { completed: Array<{ index: number; extraction: Extraction }>; failed: Array<{ index: number; code: string; message: string }> },
  ): Promise<{ outcomes: Array<{ index: number; prescription_id: string | null; created: boolean; state: JobItemRecord['state'] }>; jobDone: boolean; changed: boolean; counts: { total: number; completed: number; failed: number } }> {
    return this.#ctx.locks.run(`job:${tenantId}:${jobId}`, async () => {
      const found = await this.#job(tenantId, jobId);
      if (!found) throw notFound('job');
      const { t } = found;
      const { vault } = this.#ctx;
      let job = found.job;
      const indexes = [...settle.completed.map((c) => c.index), ...settle.failed.map((f) => f.index)];
      const counts = (j: JobRecord) => ({ total: j.total, completed: j.completed, failed: j.failed });
      if (indexes.length === 0) return { outcomes: [], jobDone: isJobDone(job), changed: false, counts: counts(job) };
      const lo = Math.min(...indexes);
      const items = new Map((await this.getItems(tenantId, jobId, lo, Math.max(...indexes) - lo + 1)).map((it) => [it.index, it]));
      const ops: RawOp[] = [];
      const outcomes: Array<{ index: number; prescription_id: string | null; created: boolean; state: JobItemRecord['state'] }> = [];
      let completed = job.completed;
      let failed = job.failed;
      const errors = new Map(job.errors.map((e) => [e.index, e]));
      for (const { index, extraction } of settle.completed) {
        const item = items.get(index);
        if (!item) continue;
        if (item.state === 'succeeded') {
          outcomes.push({ index, prescription_id: item.prescription_id, created: false, state: 'succeeded' });
          continue;
        }
        const { record, ops: rxOps } = await this.#prescriptions.prepare(tenantId, {
          text: item.text, patient_ref: item.patient_ref, doctor: null, source: 'text',
          external_id: item.external_id, job_id: jobId, job_item_index: index, extraction,
        });
        if (item.state === 'failed') {
          failed--;
          errors.delete(index);
        }
        completed++;
        const done: JobItemRecord = { ...item, state: 'succeeded', prescription_id: record.prescription_id, error: null };
        items.set(index, done);
        ops.push(...rxOps, vault.put(t.tables.jobItems, itemKey(jobId, index), done, await this.#sealFor(tenantId, t.keys, item.patient_ref)));
        outcomes.push({ index, prescription_id: record.prescription_id, created: true, state: 'succeeded' });
      }
      for (const { index, code, message } of settle.failed) {
        const item = items.get(index);
        if (!item) continue;
        if (item.state !== 'pending') {
          outcomes.push({ index, prescription_id: item.prescription_id, created: false, state: item.state });
          continue;
        }
        failed++;
        errors.set(index, { index, external_id: item.external_id, code, message });
        const bad: JobItemRecord = { ...item, state: 'failed', error: { code, message } };
        items.set(index, bad);
        ops.push(vault.put(t.tables.jobItems, itemKey(jobId, index), bad, await this.#sealFor(tenantId, t.keys, item.patient_ref)));
        outcomes.push({ index, prescription_id: null, created: false, state: 'failed' });
      }
      if (ops.length === 0) return { outcomes, jobDone: isJobDone(job), changed: false, counts: counts(job) };
      job = { ...job, completed, failed, errors: [...errors.values()], updated_at: new Date().toISOString() };
      ops.push(vault.put(t.tables.jobs, jobId, job, { kind: 'tenant', keys: t.keys }));
      await this.#ctx.writer.write(ops);
      return { outcomes, jobDone: isJobDone(job), changed: true, counts: counts(job) };
    });
  }

  /**
   * Marks a pending item failed with a coded error (the message must hold no note text) and counts
   * it, atomically. Idempotent: an item already terminal is left as it is.
   */
  async failItem(tenantId: string, jobId: string, index: number, error: { code: string; message: string }): Promise<{ jobDone: boolean }> {
    return this.#ctx.locks.run(`job:${tenantId}:${jobId}`, async () => {
      const { job, t, item } = await this.#load(tenantId, jobId, index);
      if (item.state !== 'pending') return { jobDone: isJobDone(job) };
      const next: JobRecord = {
        ...job,
        failed: job.failed + 1,
        errors: [...job.errors, { index, external_id: item.external_id, code: error.code, message: error.message }],
        updated_at: new Date().toISOString(),
      };
      const failed: JobItemRecord = { ...item, state: 'failed', error: { code: error.code, message: error.message } };
      const { vault } = this.#ctx;
      await this.#ctx.writer.write([
        vault.put(t.tables.jobItems, itemKey(jobId, index), failed, await this.#sealFor(tenantId, t.keys, item.patient_ref)),
        vault.put(t.tables.jobs, jobId, next, { kind: 'tenant', keys: t.keys }),
      ]);
      return { jobDone: isJobDone(next) };
    });
  }
}
