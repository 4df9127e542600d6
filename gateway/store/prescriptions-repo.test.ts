import { describe, expect, it, onTestFinished } from 'vitest';
import type { PrescriptionInput } from './records.js';
import { sampleExtraction } from './testing/sample-extraction.js';
import { tempStore } from './testing/temp-store.js';

async function fixture() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  const a = await t.store.tenants.create({ name: 'A' });
  const b = await t.store.tenants.create({ name: 'B' });
  return { t, a: a.id, b: b.id };
}

/** created_at has ms resolution: make sure the next record is strictly later (bounded busy-wait, no sleep). */
async function afterMs(iso: string): Promise<void> {
  const deadline = Date.now() + 1000;
  while (Date.now() <= Date.parse(iso) && Date.now() < deadline) await new Promise<void>((r) => setImmediate(r));
}

function input(over: Partial<PrescriptionInput> = {}): PrescriptionInput {
  return {
    text: 'Metformin 500 mg PO BID for type 2 diabetes. Dr. Jane Smith',
    patient_ref: null, doctor: null, source: 'text', external_id: null, job_id: null,
    extraction: sampleExtraction(), ...over,
  };
}

describe('store.prescriptions', () => {
  it('round-trips a record (tenant key and patient key) across a reopen', async () => {
    const { t, a } = await fixture();
    const r1 = await t.store.prescriptions.create(a, input());
    const r2 = await t.store.prescriptions.create(a, input({ patient_ref: 'MRN-1', doctor: 'Dr Who', external_id: 'ext-9', source: 'pdf' }));
    expect(r1.prescription_id).toMatch(/^rx_[0-9A-Z]{26}$/);
    expect(r2.prescription_id > r1.prescription_id).toBe(true);
    const s = await t.reopen();
    expect(await s.prescriptions.get(a, r1.prescription_id)).toEqual(r1);
    expect(await s.prescriptions.get(a, r2.prescription_id)).toEqual(r2);
    expect(await s.prescriptions.get(a, 'rx_00000000000000000000000000')).toBeNull();
    expect(await s.prescriptions.findByExternalId(a, ' EXT-9 ')).toEqual([r2]);
  });

  it('isolates tenants: B cannot get or list A\'s prescriptions', async () => {
    const { t, a, b } = await fixture();
    const r = await t.store.prescriptions.create(a, input({ patient_ref: 'MRN-1' }));
    expect(await t.store.prescriptions.get(b, r.prescription_id)).toBeNull();
    expect((await t.store.prescriptions.list(b, {})).items).toEqual([]);
    expect((await t.store.prescriptions.list(b, { patient_ref: 'MRN-1' })).items).toEqual([]);
    expect(await t.store.prescriptions.findByExternalId(b, 'x')).toEqual([]);
    expect((await t.store.prescriptions.list(a, {})).items).toEqual([r]);
    await expect(t.store.prescriptions.create('tn_00000000000000000000000000', input())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('paginates in creation order with an opaque cursor', async () => {
    const { t, a } = await fixture();
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await t.store.prescriptions.create(a, input()));
    const seen = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.store.prescriptions.list(a, { limit: 3, cursor });
      seen.push(...page.items);
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((r) => r.prescription_id)).toEqual(made.map((r) => r.prescription_id));
    const exact = await t.store.prescriptions.list(a, { limit: 7 });
    expect(exact.next_cursor).toBeNull();
  });

  it('filters by patient_ref, disease, doctor and since', async () => {
    const { t, a } = await fixture();
    const dm = await t.store.prescriptions.create(a, input({
      patient_ref: 'MRN-1', doctor: 'Dr. Jane Smith',
      extraction: sampleExtraction({ diseases: [{ text: 'T2DM', display: 'Type 2 diabetes mellitus', code: 'E11.9' }] }),
    }));
    await afterMs(dm.created_at);
    const htn = await t.store.prescriptions.create(a, input({
      patient_ref: 'mrn-2',
      extraction: sampleExtraction({ diseases: [{ text: 'HTN', display: 'Essential hypertension', code: 'I10' }], doctor: 'Ravi Patel' }),
    }));
    await afterMs(htn.created_at);
    const neg = await t.store.prescriptions.create(a, input({
      patient_ref: 'MRN-1',
      extraction: sampleExtraction({ diseases: [{ text: 'diabetes', code: 'E11.9', negated: true }] }),
    }));
    const ids = async (q: Parameters<typeof t.store.prescriptions.list>[1]) =>
      (await t.store.prescriptions.list(a, q)).items.map((r) => r.prescription_id);
    expect(await ids({ patient_ref: ' mrn-1 ' })).toEqual([dm.prescription_id, neg.prescription_id]);
    expect(await ids({ patient_ref: 'MRN-2' })).toEqual([htn.prescription_id]);
    expect(await ids({ patient_ref: 'MRN-3' })).toEqual([]);
    expect(await ids({ disease: 'e11' })).toEqual([dm.prescription_id]);
    expect(await ids({ disease: 'E11.9' })).toEqual([dm.prescription_id]);
    expect(await ids({ disease: 'DIABETES' })).toEqual([dm.prescription_id]);
    expect(await ids({ disease: 'hypertension' })).toEqual([htn.prescription_id]);
    expect(await ids({ doctor: 'smith' })).toEqual([dm.prescription_id]);
    expect(await ids({ doctor: 'PATEL' })).toEqual([htn.prescription_id]);
    expect(await ids({ patient_ref: 'MRN-1', disease: 'hypertension' })).toEqual([]);
    expect(await ids({ since: htn.created_at })).toEqual([htn.prescription_id, neg.prescription_id]);
    expect(await ids({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    expect(await ids({ patient_ref: 'MRN-1', since: htn.created_at })).toEqual([neg.prescription_id]);
    const p1 = await t.store.prescriptions.list(a, { patient_ref: 'MRN-1', limit: 1 });
    expect(p1.items.map((r) => r.prescription_id)).toEqual([dm.prescription_id]);
    expect(await ids({ patient_ref: 'MRN-1', cursor: p1.next_cursor! })).toEqual([neg.prescription_id]);
  });

  it('rejects bad limit, cursor and since with VALIDATION_FAILED', async () => {
    const { t, a } = await fixture();
    for (const q of [{ limit: 0 }, { limit: 101 }, { limit: 1.5 }, { cursor: 'garbage' }, { since: 'yesterday' }]) {
      await expect(t.store.prescriptions.list(a, q)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});
