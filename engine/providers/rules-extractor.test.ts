import { describe, expect, it } from 'vitest';
import { describeExtractorConformance } from './extractor.conformance.js';
import { createRulesExtractor } from './rules-extractor.js';

describeExtractorConformance('rules', () => createRulesExtractor());

describe('rules extractor', () => {
  it('is the deterministic rules engine: same text, same result', async () => {
    const rules = createRulesExtractor({ now: () => new Date('2024-05-01T00:00:00Z') });
    const text = 'Metformin 500 mg PO BID';
    const [a, b] = [await rules.extract({ text }), await rules.extract({ text })];
    expect({ ...a, latency_ms: 0 }).toEqual({ ...b, latency_ms: 0 });
    expect(a.medications[0]?.name).toBe('metformin');
  });

  it('warns OCR_LOW_CONFIDENCE when the text came from a weak OCR read, and only then', async () => {
    const rules = createRulesExtractor();
    const text = 'Metformin 500 mg PO BID';
    const codes = async (ocrConfidence?: number) =>
      (await rules.extract(ocrConfidence === undefined ? { text } : { text, ocrConfidence })).warnings.map((w) => w.code);
    expect(await codes(0.42)).toContain('OCR_LOW_CONFIDENCE');
    expect(await codes(0.97)).not.toContain('OCR_LOW_CONFIDENCE');
    expect(await codes()).not.toContain('OCR_LOW_CONFIDENCE');
  });
});
