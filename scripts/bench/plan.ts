/**
 * Plan creation in the engine (issue 8): a typical discharge summary (~2.5 KB, seven discharge
 * medications, advice and follow-ups) through the engine's `wc.engine.plan-items` handler — the
 * rules extraction, then the actionable steps — as one engine request does it, without the bus.
 * Target: p99 under 50 ms. Baseline: the extraction alone on the same note in the same run, so
 * the ratio shows what finding the steps adds. Warm-up first (steady state, as in a running engine).
 */
import { readFileSync } from 'node:fs';
import { extractClinical } from '../../engine/clinical/extract.js';
import { planItemsFrom } from '../../engine/clinical/actions/plan-items.js';
import { createRulesExtractor } from '../../engine/providers/rules-extractor.js';
import { createPlanItemsHandler } from '../../engine/serve/plan-items-service.js';

const NOTE = readFileSync(new URL('../../engine/clinical/actions/fixtures/discharge-summary-full.txt', import.meta.url), 'utf8');

function pct(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(3));
}

async function timeRuns(n: number, fn: () => Promise<unknown> | unknown): Promise<{ p50_ms: number; p99_ms: number; mean_ms: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50_ms: pct(sorted, 50), p99_ms: pct(sorted, 99), mean_ms: Number((ms.reduce((a, b) => a + b, 0) / n).toFixed(3)) };
}

export async function benchPlan(runs = 500, warmupMs = 3000): Promise<Record<string, unknown>> {
  const handler = createPlanItemsHandler({ choose: () => createRulesExtractor() });
  const request = { text: NOTE, note_date: '2026-12-02' };
  const until = performance.now() + warmupMs;
  while (performance.now() < until) await handler(request);
  const full = await timeRuns(runs, () => handler(request));
  const baseline = await timeRuns(runs, () => extractClinical(NOTE));
  const extraction = extractClinical(NOTE);
  const stepsOnly = await timeRuns(runs, () => planItemsFrom(NOTE, extraction, '2026-12-02'));
  const out = await handler(request);
  return {
    note_chars: NOTE.length,
    tasks: out.items.tasks.length,
    activities: out.items.activities.length,
    runs,
    plan_items_request: full,
    steps_only: stepsOnly,
    baseline_extraction_only: baseline,
    ratio_p50_vs_extraction: Number((full.p50_ms / baseline.p50_ms).toFixed(2)),
    target_p99_ms: 50,
    meets_target: full.p99_ms < 50,
  };
}
