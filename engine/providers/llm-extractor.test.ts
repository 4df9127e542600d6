import { describe, expect, it } from 'vitest';
import { WardClerkError, isWardClerkError } from '../../core/errors.js';
import { ScriptedTextModel } from '../../test/scripted-text-model.js';
import { describeExtractorConformance, expectConformingExtraction } from './extractor.conformance.js';
import { createLlmExtractor } from './llm-extractor.js';
import { LLM_EXTRACTION_SCHEMA } from './llm-output-schema.js';

const NOTE = 'Dx: Type 2 diabetes. Rx: Metf0rmin 5OO mg PO BID x 30 days. Signed Dr. Jane Smith';
const med = (o: Record<string, unknown>) => ({ name: 'x', strength: null, form: null, route: null, dose: null, frequency: null, duration: null, sig: null, as_needed: false, ...o });

const GROUNDED = {
  diseases: [{ text: 'type 2 diabetes', assertion: 'present' }],
  medications: [med({ name: 'metformin', strength: '500 mg', route: 'PO', frequency: 'BID', duration: '30 days', sig: 'PO BID x 30 days' })],
  doctor: 'Jane Smith',
};

const count = (warnings: Array<{ code: string }>, code: string) => warnings.filter((w) => w.code === code).length;

describeExtractorConformance('llm (scripted model)', () => createLlmExtractor({ model: new ScriptedTextModel([GROUNDED]) }));

describe('llm extractor grounding', () => {
  it('keeps grounded values with their source spans, normalised by the rules engine', async () => {
    const model = new ScriptedTextModel([GROUNDED]);
    const extractor = createLlmExtractor({ model });
    const e = await extractor.extract({ text: NOTE });
    expectConformingExtraction(extractor, NOTE, e);
    expect(e.extractor).toBe('llm:scripted');
    expect(count(e.warnings, 'UNGROUNDED_VALUE')).toBe(0);
    const m = e.medications[0]!;
    expect(NOTE.slice(m.spans['name']!.start, m.spans['name']!.end)).toBe('Metf0rmin');
    expect(NOTE.slice(m.spans['strength']!.start, m.spans['strength']!.end)).toBe('5OO mg');
    expect(m.frequency).toBe('BID');
    expect(e.diseases[0]!.text).toBe('Type 2 diabetes');
    expect(e.doctor?.name).toBe('Jane Smith');
    // The model was asked with the compact schema.
    expect(model.calls[0]!.jsonSchema).toBe(LLM_EXTRACTION_SCHEMA);
  });

  it('drops invented values and counts each one as UNGROUNDED_VALUE', async () => {
    const invented = {
      diseases: [{ text: 'type 2 diabetes', assertion: 'present' }, { text: 'hypertension', assertion: 'present' }],
      medications: [
        med({ name: 'metformin', strength: '850 mg', frequency: 'BID' }),
        med({ name: 'atorvastatin', strength: '20 mg' }),
      ],
      doctor: 'Gregory House',
    };
    const extractor = createLlmExtractor({ model: new ScriptedTextModel([invented]) });
    const e = await extractor.extract({ text: NOTE });
    expectConformingExtraction(extractor, NOTE, e);
    // hypertension, 850 mg, atorvastatin (name), Gregory House.
    expect(count(e.warnings, 'UNGROUNDED_VALUE')).toBe(4);
    expect(e.diseases.map((d) => d.text)).toEqual(['Type 2 diabetes']);
    expect(e.medications).toHaveLength(1);
    // The invented 850 mg is gone; the rules engine, normalising the grounded region, may still
    // read the strength actually written there ("5OO mg" → 500 mg) — a grounded value, never 850.
    const strength = e.medications[0]!.spans['strength'];
    expect(e.medications[0]!.strength).not.toBe('850 mg');
    if (strength) expect(NOTE.slice(strength.start, strength.end)).toBe('5OO mg');
    expect(e.doctor).toBeNull();
    // Warnings never carry the values themselves (PHI).
    expect(JSON.stringify(e.warnings)).not.toMatch(/atorvastatin|House|850/);
  });

  it('drops malformed items with a warning and keeps the valid ones', async () => {
    const malformed = { diseases: [{ text: 42 }, { text: 'type 2 diabetes', assertion: 'present' }], medications: 'metformin', doctor: 7 };
    const e = await createLlmExtractor({ model: new ScriptedTextModel([malformed]) }).extract({ text: NOTE });
    expect(count(e.warnings, 'MODEL_OUTPUT_INVALID')).toBe(3);
    expect(e.diseases).toHaveLength(1);
    expect(e.medications).toHaveLength(0);
  });

  it.each([['not json at all'], [[1, 2, 3]], [null]])('output that is not an object (%j) is MODEL_OUTPUT_INVALID', async (answer) => {
    const e = await createLlmExtractor({ model: new ScriptedTextModel([answer]) }).extract({ text: NOTE }).then(() => null, (err: unknown) => err);
    expect(isWardClerkError(e) && e.code).toBe('MODEL_OUTPUT_INVALID');
  });

  it('model errors propagate as their coded errors', async () => {
    const model = new ScriptedTextModel([new WardClerkError('MODEL_OUTPUT_TRUNCATED', 'cut')]);
    const e = await createLlmExtractor({ model }).extract({ text: NOTE }).then(() => null, (err: unknown) => err);
    expect(isWardClerkError(e) && e.code).toBe('MODEL_OUTPUT_TRUNCATED');
  });

  it('closes the model only when it owns it', async () => {
    const shared = new ScriptedTextModel([GROUNDED]);
    await createLlmExtractor({ model: shared }).close?.();
    expect(shared.closed).toBe(false);
    const owned = new ScriptedTextModel([GROUNDED]);
    await createLlmExtractor({ model: owned, ownsModel: true }).close?.();
    expect(owned.closed).toBe(true);
  });
});
