import { describe, expect, it, onTestFinished } from 'vitest';
import { sampleExtraction } from './testing/sample-extraction.js';
import { tempStore } from './testing/temp-store.js';

async function fixture() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  const a = (await t.store.tenants.create({ name: 'A' })).id;
  const b = (await t.store.tenants.create({ name: 'B' })).id;
  return { t, a, b };
}

const ex = sampleExtraction({ diseases: [{ text: 'HTN', code: 'I10' }] });

describe('store.jobs', () => {
  it('creates a job with its items in one synced batch and reads them back after a reopen', async () => {
    const { t, a } = await fixture();
    const before = t.store.stats().batches;
    const items = Array.from({ length: 1000 }, (_, i) => ({ text: `note ${i}`, external_id: `x${i}` }));
    const job = await t.store.jobs.create(a, { items });
    expect(t.store.stats().batches - before).toBe(1);
    expect(job).toMatchObject({ tenant_id: a, total: 1000, completed: 0, failed: 0, errors: [] });
    expect(job.job_id).toMatch(/^job_/);
    const s = await t.reopen();
    expect(await s.jobs.get(a, job.job_id)).toMatchObject({ job_id: job.job_id, status: 'queued', total: 1000 });
    expect(await s.jobs.getItem(a, job.job_id, 999)).toEqual({
      index: 999, text: 'note 999', patient_ref: null, external_id: 'x999', state: 'pending', prescription_id: null, error: null,
    });
    expect(await s.jobs.getItem(a, job.job_id, 1000)).toBeNull();
    expect(await s.jobs.getItem(a, job.job_id, -1)).toBeNull();
  });

  it('settles a chunk of items in one synced batch, exactly once per item, and lists them by job', async () => {
    const { t, a, b } = await fixture();
    const job = await t.store.jobs.create(a, { items: Array.from({ length: 10 }, (_, i) => ({ text: `note ${i}`, external_id: `x${i}`, patient_ref: i % 2 ? 'MRN-1' : null })) });
    const id = job.job_id;
    expect((await t.store.jobs.getItems(a, id, 2, 5)).map((it) => it.index)).toEqual([2, 3, 4, 5, 6]);
    expect(await t.store.jobs.getItems(b, id, 0, 10)).toEqual([]);
    const before = t.store.stats().batches;
    const first = await t.store.jobs.settleItems(a, id, {
      completed: [0, 1, 2, 3].map((index) => ({ index, extraction: ex })),
      failed: [{ index: 4, code: 'EMPTY_TEXT', message: 'The note text is empty' }],
    });
    expect(t.store.stats().batches - before).toBe(1);
    expect(first).toMatchObject({ jobDone: false, changed: true, counts: { total: 10, completed: 4, failed: 1 } });
    expect(first.outcomes.filter((o) => o.created)).toHaveLength(4);
    // The same chunk again (a redelivery) changes nothing and creates nothing.
    const again = await t.store.jobs.settleItems(a, id, {
      completed: [0, 1, 2, 3].map((index) => ({ index, extraction: ex })),
      failed: [{ index: 0, code: 'INTERNAL', message: 'late failure' }],
    });
    expect(again).toMatchObject({ changed: false, counts: { completed: 4, failed: 1 } });
    expect(again.outcomes.filter((o) => o.created)).toEqual([]);
    expect(again.outcomes.find((o) => o.index === 0)).toMatchObject({ state: 'succeeded', prescription_id: first.outcomes[0]!.prescription_id });
    // A failed item may still succeed later; the rest finish the job.
    const last = await t.store.jobs.settleItems(a, id, { completed: [4, 5, 6, 7, 8, 9].map((index) => ({ index, extraction: ex })), failed: [] });
    expect(last).toMatchObject({ jobDone: true, counts: { completed: 10, failed: 0 } });
    expect(await t.store.jobs.get(a, id)).toMatchObject({ status: 'completed', completed: 10, failed: 0, errors: [] });

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await t.store.prescriptions.list(a, { job_id: id, limit: 3, cursor });
      for (const r of page.items) {
        expect(r.job_id).toBe(id);
        seen.push(r.job_item_index!);
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await t.store.prescriptions.list(a, { job_id: id, patient_ref: 'MRN-1' })).items.map((r) => r.job_item_index).sort()).toEqual([1, 3, 5, 7, 9]);
    expect((await t.store.prescriptions.list(b, { job_id: id })).items).toEqual([]);
    expect((await t.store.prescriptions.list(a, { job_id: 'job_00000000000000000000000000' })).items).toEqual([]);
    await expect(t.store.jobs.settleItems(a, 'job_00000000000000000000000000', { completed: [], failed: [] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses 1,001 items (BATCH_TOO_LARGE) and an empty batch, storing nothing', async () => {
    const { t, a } = await fixture();
    const before = t.store.stats().writes;
    await expect(t.store.jobs.create(a, { items: Array.from({ length: 1001 }, () => ({ text: 'x' })) }))
      .rejects.toMatchObject({ code: 'BATCH_TOO_LARGE' });
    await expect(t.store.jobs.create(a, { items: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(t.store.stats().writes).toBe(before);
  });

  it('moves through queued → running → completed, recording per-item errors without note text', async () => {
    const { t, a } = await fixture();
    const job = await t.store.jobs.create(a, { items: [
      { text: 'note zero', patient_ref: 'MRN-7' }, { text: 'secret note one', external_id: 'e1' }, { text: 'note two' },
    ] });
    const r0 = await t.store.jobs.completeItem(a, job.job_id, 0, ex);
    expect(r0.created).toBe(true);
    expect(r0.jobDone).toBe(false);
    expect(r0.prescription).toMatchObject({ text: 'note zero', patient_ref: 'MRN-7', job_id: job.job_id, tenant_id: a });
    expect((await t.store.jobs.get(a, job.job_id))?.status).toBe('running');
    expect(await t.store.jobs.failItem(a, job.job_id, 1, { code: 'ENGINE_UNAVAILABLE', message: 'no engine answered' })).toEqual({ jobDone: false });
    expect(await t.store.jobs.failItem(a, job.job_id, 1, { code: 'OTHER', message: 'again' })).toEqual({ jobDone: false });
    const r2 = await t.store.jobs.completeItem(a, job.job_id, 2, ex);
    expect(r2.jobDone).toBe(true);
    const s = await t.reopen();
    const view = await s.jobs.get(a, job.job_id);
    expect(view).toMatchObject({ status: 'completed', total: 3, completed: 2, failed: 1 });
    expect(view?.errors).toEqual([{ index: 1, external_id: 'e1', code: 'ENGINE_UNAVAILABLE', message: 'no engine answered' }]);
    expect(JSON.stringify(view)).not.toContain('secret note');
    expect(await s.jobs.getItem(a, job.job_id, 0)).toMatchObject({ state: 'succeeded', prescription_id: r0.prescription.prescription_id });
    expect(await s.prescriptions.get(a, r0.prescription.prescription_id)).toEqual(r0.prescription);
    expect((await s.prescriptions.list(a, { patient_ref: 'mrn-7' })).items).toEqual([r0.prescription]);
  });

  it('reports failed when every item failed', async () => {
    const { t, a } = await fixture();
    const job = await t.store.jobs.create(a, { items: [{ text: 'a' }, { text: 'b' }] });
    await t.store.jobs.failItem(a, job.job_id, 0, { code: 'X', message: 'x' });
    expect(await t.store.jobs.failItem(a, job.job_id, 1, { code: 'X', message: 'x' })).toEqual({ jobDone: true });
    expect((await t.store.jobs.get(a, job.job_id))?.status).toBe('failed');
  });

  it('is idempotent under concurrent double delivery: one prescription per item', async () => {
    const { t, a } = await fixture();
    const job = await t.store.jobs.create(a, { items: Array.from({ length: 20 }, (_, i) => ({ text: `n${i}` })) });
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => [
      t.store.jobs.completeItem(a, job.job_id, i, ex), t.store.jobs.completeItem(a, job.job_id, i, ex),
    ]).flat());
    expect(runs.filter((r) => r.created)).toHaveLength(20);
    for (let i = 0; i < 20; i++) {
      expect(runs[2 * i]!.prescription.prescription_id).toBe(runs[2 * i + 1]!.prescription.prescription_id);
    }
    expect(runs.filter((r) => r.jobDone).length).toBeGreaterThanOrEqual(1);
    const again = await t.store.jobs.completeItem(a, job.job_id, 3, ex);
    expect(again).toMatchObject({ created: false, jobDone: true });
    expect(await t.store.jobs.get(a, job.job_id)).toMatchObject({ status: 'completed', completed: 20, failed: 0 });
    expect((await t.store.prescriptions.list(a, { limit: 100 })).items).toHaveLength(20);
  });

  it('a late success replaces an earlier failure of the same item', async () => {
    const { t, a } = await fixture();
    const job = await t.store.jobs.create(a, { items: [{ text: 'a' }] });
    await t.store.jobs.failItem(a, job.job_id, 0, { code: 'TIMEOUT', message: 'timed out' });
    const r = await t.store.jobs.completeItem(a, job.job_id, 0, ex);
    expect(r).toMatchObject({ created: true, jobDone: true });
    expect(await t.store.jobs.get(a, job.job_id)).toMatchObject({ status: 'completed', completed: 1, failed: 0, errors: [] });
  });

  it('isolates tenants: B cannot read or act on A\'s job', async () => {
    const { t, a, b } = await fixture();
    const job = await t.store.jobs.create(a, { items: [{ text: 'a' }] });
    expect(await t.store.jobs.get(b, job.job_id)).toBeNull();
    expect(await t.store.jobs.getItem(b, job.job_id, 0)).toBeNull();
    await expect(t.store.jobs.completeItem(b, job.job_id, 0, ex)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.store.jobs.failItem(b, job.job_id, 0, { code: 'X', message: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.store.jobs.get(a, 'job_00000000000000000000000000')).toBeNull();
    expect(await t.store.jobs.get(a, job.job_id)).toMatchObject({ status: 'queued' });
  });
});
