import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { createConceptEmbedder } from '../providers/concept-embedder.js';
import type { PatientIndex } from './patient-index.js';
import { DEFAULT_INDEX_BUDGET_BYTES, PatientIndexCache } from './patient-index-cache.js';
import { buildIndex, embedChunks, RECORD_A } from './testing/patient-records.js';

const embedder = createConceptEmbedder();
const load = (patientId: string) => (): Promise<PatientIndex> => buildIndex(patientId, RECORD_A, embedder);

describe('PatientIndexCache', () => {
  it('defaults to a 512 MiB budget and refuses a non-positive one', () => {
    expect(new PatientIndexCache().budgetBytes).toBe(DEFAULT_INDEX_BUDGET_BYTES);
    expect(DEFAULT_INDEX_BUDGET_BYTES).toBe(512 * 1024 * 1024);
    let code: string | undefined;
    try {
      new PatientIndexCache({ budgetBytes: 0 });
    } catch (e) {
      code = e instanceof WardClerkError ? e.code : 'other';
    }
    expect(code).toBe('CONFIG_INVALID');
  });

  it('keeps loaded indexes within the budget, evicting the least recently used', async () => {
    const one = (await load('x')()).estimateBytes();
    const evicted: string[] = [];
    const cache = new PatientIndexCache({ budgetBytes: Math.floor(one * 2.5), onEvict: (id) => evicted.push(id) });
    await cache.get('p1', load('p1'));
    await cache.get('p2', load('p2'));
    await cache.get('p1', load('p1')); // p1 is now the most recent
    expect(cache.loaded()).toEqual(['p2', 'p1']);
    await cache.get('p3', load('p3'));
    expect(evicted).toEqual(['p2']);
    expect(cache.loaded()).toEqual(['p1', 'p3']);
    expect(cache.bytes).toBeLessThanOrEqual(cache.budgetBytes);
    expect(cache.bytes).toBe(cache.peek('p1')!.estimateBytes() + cache.peek('p3')!.estimateBytes());
  });

  it('keeps the index just used even when it alone is over the budget', async () => {
    const cache = new PatientIndexCache({ budgetBytes: 1 });
    await cache.get('p1', load('p1'));
    const p2 = await cache.get('p2', load('p2'));
    expect(cache.loaded()).toEqual(['p2']);
    expect(p2.patientId).toBe('p2');
  });

  it('loads a patient once for concurrent callers, and again after a failed load', async () => {
    const cache = new PatientIndexCache();
    let loads = 0;
    const counted = async (): Promise<PatientIndex> => {
      loads++;
      return load('p1')();
    };
    const [a, b] = await Promise.all([cache.get('p1', counted), cache.get('p1', counted)]);
    expect(a).toBe(b);
    expect(loads).toBe(1);

    const failing = new PatientIndexCache();
    await expect(failing.get('p9', () => Promise.reject(new WardClerkError('STORE_UNAVAILABLE', 'store down')))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(failing.get('p9', () => { throw new WardClerkError('STORE_UNAVAILABLE', 'store down'); })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(failing.size).toBe(0);
    expect((await failing.get('p9', load('p9'))).patientId).toBe('p9');
  });

  it('refuses an index loaded for another patient (INTERNAL), keeping nothing', async () => {
    const cache = new PatientIndexCache();
    await expect(cache.get('p1', load('p2'))).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(cache.peek('p1')).toBeUndefined();
  });

  it('updates a loaded index in place and re-measures it; an update during a load is applied after it', async () => {
    const cache = new PatientIndexCache();
    expect(cache.update('p1', () => undefined)).toBe(false);
    const { entries, space } = await embedChunks(RECORD_A.slice(0, 1), embedder);
    const small = async (): Promise<PatientIndex> => {
      const index = await load('p1')();
      index.removeDocument('a-d1');
      return index;
    };
    const loading = cache.get('p1', small);
    expect(cache.update('p1', (ix) => ix.add(entries, space))).toBe(true);
    const index = await loading;
    expect(index.documentIds()).toContain('a-d1');
    expect(cache.bytes).toBe(index.estimateBytes());

    expect(cache.update('p1', (ix) => ix.removeDocument('a-d2'))).toBe(true);
    expect(index.documentIds()).not.toContain('a-d2');
    expect(cache.bytes).toBe(index.estimateBytes());
    expect(cache.evict('p1')).toBe(true);
    expect(cache.evict('p1')).toBe(false);
    expect(cache.bytes).toBe(0);
  });
});
