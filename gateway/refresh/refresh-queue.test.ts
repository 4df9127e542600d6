/**
 * RefreshQueue on a real encrypted store with real patient indexes: triggers in the same tick
 * coalesce into one queued job behind the running one, runs of a patient never overlap, every run
 * stores the next version, another patient's refresh runs beside them, and automatic triggers
 * follow the tenant's auto_refresh setting. A manual refresh rebuilds a loaded index; an
 * automatic one keeps it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { createConceptEmbedder } from '../../engine/providers/concept-embedder.js';
import { PatientIndexes } from '../search/patient-indexes.js';
import { openSealedStore, type SealedStore } from '../search/testing/sealed-documents.js';
import { RefreshQueue, type RefreshJob } from './refresh-queue.js';
import { putRefreshSettings } from './refresh-settings.js';

const log = createLogger({ level: 'silent', role: 'test' });
let sealed: SealedStore;

function queue(): { q: RefreshQueue; indexes: PatientIndexes } {
  const indexes = new PatientIndexes({ documents: sealed.store.documents, embedder: createConceptEmbedder(), budgetBytes: 64 * 1024 * 1024, log });
  return { q: new RefreshQueue({ store: sealed.store, log, searchIndexes: indexes }), indexes };
}

const interval = (j: RefreshJob) => [Date.parse(j.started_at!), Date.parse(j.finished_at!)] as const;

beforeAll(async () => {
  sealed = await openSealedStore();
});
afterAll(async () => {
  await sealed?.close();
});

describe('RefreshQueue', () => {
  it('coalesces triggers behind the running refresh, never runs a patient twice at once, and versions each run', async () => {
    const { q, indexes } = queue();
    const patient = await sealed.patient();
    const other = await sealed.patient();
    const loaded = await indexes.index(sealed.tenantId, patient);
    const a = q.trigger(sealed.tenantId, patient, 'manual');
    const b = q.trigger(sealed.tenantId, patient, 'manual');
    const c = q.trigger(sealed.tenantId, patient, 'new_document');
    const d = q.trigger(sealed.tenantId, other, 'manual');
    expect(b.job_id).not.toBe(a.job_id);
    expect(c.job_id).toBe(b.job_id);
    expect(b.status).toBe('queued');
    expect(b.triggers).toEqual(['manual', 'new_document']);
    await q.idle();
    for (const j of [a, b, d]) expect(q.job(sealed.tenantId, j.patient_id, j.job_id).status).toBe('completed');
    expect([a.version, b.version, d.version]).toEqual([1, 2, 1]);
    expect(interval(a)[1]).toBeLessThanOrEqual(interval(b)[0]);
    const latest = await sealed.store.summaries.latest(sealed.tenantId, patient);
    expect(latest).toMatchObject({ version: 2, trigger: 'manual', triggers: ['manual', 'new_document'], job_id: b.job_id });
    // The loaded index was dropped and built again from the store.
    expect(indexes.cache.peek(patient)).toBeDefined();
    expect(indexes.cache.peek(patient)).not.toBe(loaded);
    // Not loaded before: nothing is built until a search asks for it.
    expect(indexes.cache.peek(other)).toBeUndefined();
  });

  it('a trigger after a run ends starts a new run; a job of another patient is NOT_FOUND', async () => {
    const { q } = queue();
    const patient = await sealed.patient();
    const first = q.trigger(sealed.tenantId, patient, 'manual');
    await q.idle();
    const second = q.trigger(sealed.tenantId, patient, 'manual');
    expect(second.job_id).not.toBe(first.job_id);
    await q.idle();
    expect(second.version).toBe(2);
    expect(interval(first)[1]).toBeLessThanOrEqual(interval(second)[0]);
    const other = await sealed.patient();
    expect(() => q.job(sealed.tenantId, other, first.job_id)).toThrow(WardClerkError);
  });

  it("automatic triggers run only while the tenant's auto_refresh is on", async () => {
    const { q, indexes } = queue();
    const patient = await sealed.patient();
    const loaded = await indexes.index(sealed.tenantId, patient);
    await putRefreshSettings(sealed.store, sealed.tenantId, { auto_refresh: false });
    q.auto(sealed.tenantId, patient, 'new_document');
    await q.idle();
    expect(await sealed.store.summaries.latest(sealed.tenantId, patient)).toBeNull();
    await putRefreshSettings(sealed.store, sealed.tenantId, { auto_refresh: true });
    q.auto(sealed.tenantId, patient, 'new_note');
    await q.idle();
    expect(await sealed.store.summaries.latest(sealed.tenantId, patient)).toMatchObject({ version: 1, trigger: 'new_note' });
    // An automatic refresh keeps the loaded index: the pipeline already updated it in place.
    expect(indexes.cache.peek(patient)).toBe(loaded);
  });

  it('takes no automatic trigger once closing', async () => {
    const { q } = queue();
    const patient = await sealed.patient();
    await q.close();
    q.auto(sealed.tenantId, patient, 'new_document');
    await q.idle();
    expect(await sealed.store.summaries.latest(sealed.tenantId, patient)).toBeNull();
  });
});
