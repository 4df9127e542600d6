/**
 * `npm run eval`: scores the rules extractor on the gold set (test/fixtures/clinical/*.jsonl) and
 * prints the report as JSON (per-field precision/recall/F1, per-tag F1, thresholds). Always exits
 * 0; the gold-set test (engine/clinical/gold-set.test.ts) is what enforces the thresholds.
 * `--failures` also lists the snippet ids and fields that were not perfect; `--files blind2` scores
 * only the files whose names start with that prefix (comma-separated), `--exclude` leaves some out;
 * `by_file` in the report breaks every field down per file.
 *
 * `npm run eval -- retrieval` measures per-patient retrieval on scripts/eval/retrieval-set/ instead
 * (recall@5 and MRR for BM25, vectors and hybrid, per embedder; see
 * scripts/eval/retrieval/run-retrieval-eval.ts). It takes the same `--files`, `--exclude` and
 * `--failures`, and `--models DIR` to look for the ONNX embedder's weights there first.
 */
import { resolve } from 'node:path';
import { runEval } from './eval/run-eval.js';

// `--files blind2,notes` scores only files whose names start with one of the prefixes; `--exclude x` leaves some out.
const listArg = (flag: string): string[] | undefined => {
  const i = process.argv.indexOf(flag);
  return i === -1 ? undefined : (process.argv[i + 1] ?? '').split(',').filter(Boolean);
};

if (process.argv[2] === 'retrieval') {
  const { defaultEvalEmbedders, runRetrievalEval } = await import('./eval/retrieval/run-retrieval-eval.js');
  const root = resolve(import.meta.dirname, '..');
  const modelsDirs = [...(listArg('--models') ?? []), resolve(root, '../shared/models'), resolve(root, 'models')];
  const embedders = await defaultEvalEmbedders(modelsDirs);
  const report = await runRetrievalEval({ embedders, files: listArg('--files'), exclude: listArg('--exclude'), failures: process.argv.includes('--failures') });
  for (const e of embedders) if ('embedder' in e) await e.embedder.close?.();
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const report = runEval({ files: listArg('--files'), exclude: listArg('--exclude') });
  const { failures, ...rest } = report;
  process.stdout.write(`${JSON.stringify(process.argv.includes('--failures') ? report : { ...rest, imperfect_cases: failures.length }, null, 2)}\n`);
}
