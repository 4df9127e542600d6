import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { createExtractor } from '../providers/registry.js';
import type { Extractor } from '../providers/extractor.js';
import { createExtractBatchHandler } from './extract-batch-service.js';

describe('wc.engine.extract-batch handler', () => {
  it('extracts every text in order with the rules engine; one bad text fails alone', async () => {
    const rules = await createExtractor('rules', { modelsDir: 'models', threads: 1 });
    let depth = 0;
    const handle = createExtractBatchHandler({ choose: () => rules, onStart: (n) => (depth += n), onEnd: (n) => (depth -= n) });
    const { results } = await handle({ texts: ['Amlodipine 5 mg once daily', '   ', 'Metformin 500 mg twice daily'] });
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[0]!.ok && (results[0]!.extraction as { medications: Array<{ name: string }> }).medications[0]!.name).toBe('amlodipine');
    expect(results[2]!.ok && (results[2]!.extraction as { medications: Array<{ name: string }> }).medications[0]!.name).toBe('metformin');
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'EMPTY_TEXT' } });
    expect(depth).toBe(0);
  });

  it('turns a non-coded failure into INTERNAL without its message, and keeps coded ones', async () => {
    const flaky: Extractor = {
      id: 'flaky', version: '1',
      async extract({ text }) {
        if (text === 'busy') throw new WardClerkError('OVERLOADED', 'busy (test)');
        throw new Error(`secret note text: ${text}`);
      },
    };
    const { results } = await createExtractBatchHandler({ choose: () => flaky })({ texts: ['busy', 'patient John Doe'] });
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'OVERLOADED' } });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'Extraction failed' } });
    expect(JSON.stringify(results)).not.toContain('John Doe');
  });
});
