/**
 * Non-medication plan steps a text model adds, through the real hybrid extractor (rules + the
 * llm extractor over a scripted TextModel) and the engine's real plan-items handler: a step
 * grounded in the note is planned (source `model`), an invented one is dropped, and the rules'
 * own steps and a medicine's directions are never doubled.
 */
import { describe, expect, it } from 'vitest';
import type { Extraction } from '../../../core/clinical/extraction.js';
import { ScriptedTextModel } from '../../../test/scripted-text-model.js';
import { createHybridExtractor } from '../../providers/hybrid-extractor.js';
import { createLlmExtractor } from '../../providers/llm-extractor.js';
import { createRulesExtractor } from '../../providers/rules-extractor.js';
import { createPlanItemsHandler } from '../../serve/plan-items-service.js';
import { extractClinical } from '../extract.js';
import { planItemsFrom } from './plan-items.js';

const NOTE = [
  'Post-op review after left knee replacement.',
  'Plan:',
  '1. Tab Paracetamol 500 mg 1-1-1 x 5 days.',
  '2. Put on compression stockings every morning.',
  '3. Check blood sugar before breakfast and before dinner.',
  '4. Keep the wound dry.',
  '5. Review in 2 weeks.',
].join('\n');

const ANSWER = {
  diseases: [],
  medications: [],
  doctor: null,
  steps: [
    { kind: 'other', text: 'Put on compression stockings every morning' }, // grounded, unknown to the rules
    { kind: 'exercise', text: 'Swim 2 km every day' }, // not in the note
    { kind: 'measurement', text: 'Check blood sugar before breakfast and before dinner' }, // the rules have it already
    { kind: 'other', text: 'Paracetamol 500 mg 1-1-1' }, // a medicine's directions
    { kind: 'wound_care', text: 'Keep the wound dry' }, // no schedule: advice
  ],
};

function handler(answer: unknown) {
  const extractor = createHybridExtractor({ rules: createRulesExtractor(), llm: createLlmExtractor({ model: new ScriptedTextModel([answer]) }) });
  return createPlanItemsHandler({ choose: () => extractor });
}

describe('plan steps from a text model', () => {
  it('adds a grounded step with its schedule read from the note, and drops an invented one', async () => {
    const { extraction, items } = await handler(ANSWER)({ text: NOTE, note_date: '2026-12-02' });
    const stockings = items.activities.filter((a) => /stockings/i.test(a.title));
    expect(stockings).toHaveLength(1);
    expect(stockings[0]).toMatchObject({
      kind: 'other', source: 'model', medication: null, as_needed: false, title: 'Put on compression stockings every morning',
      timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] } },
    });
    expect(NOTE.slice(stockings[0]!.span.start, stockings[0]!.span.end)).toBe('Put on compression stockings every morning.');
    // The invented step reaches neither the extraction nor the plan, and is counted.
    expect(JSON.stringify(items)).not.toMatch(/swim/i);
    expect(extraction.plan_steps?.map((p) => p.text)).not.toContain('Swim 2 km every day');
    expect(extraction.warnings).toContainEqual(expect.objectContaining({ code: 'UNGROUNDED_VALUE', message: expect.stringMatching(/^plan_steps\[1\]\.text/) }));
    expect(items.warnings).toEqual(expect.arrayContaining(['ungrounded_model_step', 'model_step_is_medication', 'model_step_without_schedule']));
    // The rules' own step stays one step (theirs); the medicine stays a medicine.
    expect(items.activities.filter((a) => a.title === 'Check blood sugar').map((a) => a.source)).toEqual(['rules']);
    expect(items.activities.filter((a) => a.medication === null).map((a) => a.title).sort()).toEqual(['Check blood sugar', 'Put on compression stockings every morning']);
    expect(items.activities.filter((a) => a.kind === 'medication')).toHaveLength(1);
  });

  it('without a model (rules only) the same note has no such step', () => {
    const items = planItemsFrom(NOTE, extractClinical(NOTE), '2026-12-02');
    expect(items.activities.some((a) => /stockings/i.test(a.title))).toBe(false);
  });

  it('re-checks grounding: a step whose words are not the note\'s at its span is dropped', async () => {
    const { extraction } = await handler(ANSWER)({ text: NOTE, note_date: '2026-12-02' });
    const step = extraction.plan_steps!.find((p) => /stockings/.test(p.text))!;
    expect(planItemsFrom(NOTE, { ...extraction, warnings: [] }, '2026-12-02').activities.some((a) => a.source === 'model')).toBe(true);
    for (const forged of [{ ...step, text: 'Put on compression stockings every hour' }, { ...step, span: { start: step.span.start + 4, end: step.span.end + 4 } }]) {
      const items = planItemsFrom(NOTE, { ...extraction, warnings: [], plan_steps: [forged] } satisfies Extraction, '2026-12-02');
      expect(items.activities.some((a) => a.source === 'model')).toBe(false);
      expect(items.warnings).toContain('ungrounded_model_step');
    }
  });
});
