/**
 * `npm run eval`: scores the rules extractor on the gold set (test/fixtures/clinical/*.jsonl) and
 * prints the report as JSON (per-field precision/recall/F1, per-tag F1, thresholds). Always exits
 * 0; the gold-set test (engine/clinical/gold-set.test.ts) is what enforces the thresholds.
 * `--failures` also lists the snippet ids and fields that were not perfect.
 */
import { runEval } from './eval/run-eval.js';

const report = runEval();
const { failures, ...rest } = report;
process.stdout.write(`${JSON.stringify(process.argv.includes('--failures') ? report : { ...rest, imperfect_cases: failures.length }, null, 2)}\n`);
