/**
 * The Embedder conformance suite (STYLE habit 10): every backend runs these same tests from its
 * own test file. `setup` builds a fresh embedder per test plus whatever it needs (a replay server,
 * a temp model folder) and returns a disposer.
 */
import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { dot, type Embedder } from './embedder.js';

export interface EmbedderHarness {
  embedder: Embedder;
  close(): Promise<void>;
}

/** Texts every backend must embed; replayed backends carry recordings for exactly these. */
export const CONFORMANCE_TEXTS = [
  'Metformin 500 mg tablet, take 1 tablet twice daily',
  'heart attack',
  'myocardial infarction',
  'type 2 diabetes mellitus',
  'no known drug allergies',
] as const;

async function withHarness(setup: () => Promise<EmbedderHarness>, fn: (e: Embedder) => Promise<void>): Promise<void> {
  const h = await setup();
  try {
    await fn(h.embedder);
  } finally {
    await h.close();
  }
}

/** Registers the suite under `describe(name)`. */
export function describeEmbedderConformance(name: string, setup: () => Promise<EmbedderHarness>): void {
  describe(`Embedder conformance: ${name}`, () => {
    it('declares identity and limits', () =>
      withHarness(setup, async (e) => {
        expect(e.provider).toMatch(/^[a-z0-9-]+$/);
        expect(e.modelId.length).toBeGreaterThan(0);
        expect(e.version.length).toBeGreaterThan(0);
        expect(Number.isInteger(e.dimensions) && e.dimensions > 0).toBe(true);
        expect(Number.isInteger(e.maxBatch) && e.maxBatch > 0).toBe(true);
      }));

    it('returns one unit-length Float32 vector of `dimensions` per text, labelled with its space', () =>
      withHarness(setup, async (e) => {
        const r = await e.embed({ texts: [...CONFORMANCE_TEXTS] });
        expect(r.vectors).toHaveLength(CONFORMANCE_TEXTS.length);
        expect(r.space).toBe(`${e.provider}:${e.modelId}@${e.version}`);
        for (const v of r.vectors) {
          expect(v).toBeInstanceOf(Float32Array);
          expect(v.length).toBe(e.dimensions);
          expect(v.every(Number.isFinite)).toBe(true);
          expect(Math.abs(dot(v, v) - 1)).toBeLessThan(1e-3);
        }
      }));

    it('is deterministic and keeps input order across batches', () =>
      withHarness(setup, async (e) => {
        // More texts than one batch when maxBatch is small; repeats make order mistakes visible.
        const texts = Array.from({ length: Math.max(e.maxBatch + 2, 7) }, (_, i) => CONFORMANCE_TEXTS[i % CONFORMANCE_TEXTS.length]!);
        const all = await e.embed({ texts });
        for (let i = 0; i < CONFORMANCE_TEXTS.length; i++) {
          const [alone] = (await e.embed({ texts: [CONFORMANCE_TEXTS[i]!] })).vectors;
          for (let j = i; j < texts.length; j += CONFORMANCE_TEXTS.length) expect(dot(all.vectors[j]!, alone!)).toBeGreaterThan(0.9999);
        }
      }));

    it('gives different texts different vectors', () =>
      withHarness(setup, async (e) => {
        const [a, b] = (await e.embed({ texts: [CONFORMANCE_TEXTS[0], CONFORMANCE_TEXTS[4]] })).vectors;
        expect(dot(a!, b!)).toBeLessThan(0.99);
      }));

    it('answers an empty list with no vectors', () =>
      withHarness(setup, async (e) => {
        expect((await e.embed({ texts: [] })).vectors).toEqual([]);
      }));

    it('refuses an aborted signal with CANCELLED', () =>
      withHarness(setup, async (e) => {
        const ac = new AbortController();
        ac.abort();
        const err = await e.embed({ texts: [CONFORMANCE_TEXTS[1]], signal: ac.signal }).catch((x: unknown) => x);
        expect(err).toBeInstanceOf(WardClerkError);
        expect((err as WardClerkError).code).toBe('CANCELLED');
      }));
  });
}
