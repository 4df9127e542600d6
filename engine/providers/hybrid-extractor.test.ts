import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { ScriptedTextModel } from '../../test/scripted-text-model.js';
import { describeExtractorConformance, expectConformingExtraction } from './extractor.conformance.js';
import { createHybridExtractor, type HybridExtraction } from './hybrid-extractor.js';
import { createLlmExtractor } from './llm-extractor.js';
import { createRulesExtractor } from './rules-extractor.js';

const NOTE = 'Metformin 500 mg PO BID. Also started zolpidex nightly for sleep.';
const med = (o: Record<string, unknown>) => ({ name: 'x', strength: null, form: null, route: null, dose: null, frequency: null, duration: null, sig: null, as_needed: false, ...o });
const ANSWER = {
  diseases: [],
  medications: [med({ name: 'Metformin', strength: '500 mg', frequency: 'BID' }), med({ name: 'zolpidex', frequency: 'nightly' })],
  doctor: null,
};
const hybrid = (answers: unknown[]) => createHybridExtractor({ rules: createRulesExtractor(), llm: createLlmExtractor({ model: new ScriptedTextModel(answers) }) });

describeExtractorConformance('hybrid (rules + scripted model)', () => hybrid([ANSWER]));

describe('hybrid extractor', () => {
  it('merges rules and grounded LLM items with per-field provenance', async () => {
    const extractor = hybrid([ANSWER]);
    const e = (await extractor.extract({ text: NOTE })) as HybridExtraction;
    expectConformingExtraction(extractor, NOTE, e);
    expect(e.extractor).toBe('hybrid:scripted');
    const names = e.medications.map((m) => m.name);
    expect(names).toContain('metformin');
    const metIndex = names.indexOf('metformin');
    const prov = (path: string) => e.provenance.find((p) => p.path === path)?.source;
    expect(prov(`medications[${metIndex}]`)).toBe('both');
    expect(prov(`medications[${metIndex}].strength`)).toBe('both');
    // An item only the LLM found (grounded in the text) is added and marked llm.
    const z = e.medications.findIndex((m) => m.text.toLowerCase() === 'zolpidex');
    if (z >= 0 && prov(`medications[${z}]`) !== 'both') expect(prov(`medications[${z}]`)).toBe('llm');
    expect(z).toBeGreaterThanOrEqual(0);
  });

  it('falls back to the rules result with LLM_FAILED when the model fails cleanly', async () => {
    const e = (await hybrid([new WardClerkError('MODEL_OUTPUT_TRUNCATED', 'cut')]).extract({ text: NOTE })) as HybridExtraction;
    expect(e.warnings.map((w) => w.code)).toContain('LLM_FAILED');
    expect(e.medications.map((m) => m.name)).toContain('metformin');
    expect(e.provenance.every((p) => p.source === 'rules')).toBe(true);
  });

  it('propagates bugs (uncoded errors) instead of hiding them', async () => {
    const e = await hybrid([new TypeError('bug')]).extract({ text: NOTE }).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(TypeError);
  });
});
