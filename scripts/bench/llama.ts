/**
 * llama tokens/s, prompt and generation, for every GGUF found in the given folders (the shared test
 * models and `models/`), at threads 1 and 2. Prompt speed is measured on a fixed ~200-token
 * prompt evaluated from an empty context; generation on 128 greedy tokens without a grammar.
 * Files are read from disk only (no manifest needed: this measures, it serves nothing).
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LlamaCompletion } from 'node-llama-cpp';
import { loadLlamaRuntime } from '../../engine/providers/llama-runtime.js';

const PROMPT = 'Assessment and plan. Type 2 diabetes mellitus, poorly controlled. Continue metformin 500 mg by mouth twice daily with meals. '.repeat(8);
const GENERATE = 128;

async function ggufFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out; // an absent folder has no models to measure
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await ggufFiles(p)));
    else if (e.name.endsWith('.gguf')) out.push(p);
  }
  return out;
}

/** Measures each GGUF under `modelsDirs` at threads 1 and 2; returns a JSON-ready record keyed by file path. */
export async function benchLlama(modelsDirs: string[]): Promise<Record<string, unknown>> {
  const llama = await loadLlamaRuntime(false);
  const results: Record<string, unknown> = {};
  const files = [...new Set((await Promise.all(modelsDirs.map((d) => ggufFiles(resolve(d))))).flat())].sort();
  for (const file of files) {
    const model = await llama.loadModel({ modelPath: file, gpuLayers: 0 });
    const perThreads: Record<string, unknown> = {};
    try {
      const promptTokens = model.tokenize(PROMPT);
      for (const threads of [1, 2]) {
        const context = await model.createContext({ contextSize: 1024, threads });
        try {
          const sequence = context.getSequence();
          let t = performance.now();
          await sequence.evaluateWithoutGeneratingNewTokens(promptTokens);
          const promptMs = performance.now() - t;
          await sequence.clearHistory();
          const completion = new LlamaCompletion({ contextSequence: sequence });
          let generated = 0;
          await completion.generateCompletion('Once upon a time', { maxTokens: 1 }); // warm-up
          await sequence.clearHistory();
          t = performance.now();
          await completion.generateCompletion('Once upon a time', { maxTokens: GENERATE, onToken: (tk) => { generated += tk.length; } });
          const genMs = performance.now() - t;
          perThreads[`threads_${threads}`] = {
            prompt_tokens: promptTokens.length,
            prompt_tokens_per_s: Math.round((promptTokens.length / promptMs) * 1000),
            generated_tokens: generated,
            generation_tokens_per_s: Math.round((generated / genMs) * 1000),
          };
          completion.dispose();
        } finally {
          await context.dispose();
        }
      }
    } finally {
      await model.dispose();
    }
    results[file] = { device: 'cpu', ...perThreads };
  }
  return results;
}

// `node bin/run-ts.js scripts/bench/llama.ts [dirs…]` prints the JSON on its own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.slice(2);
  console.log(JSON.stringify(await benchLlama(dirs.length > 0 ? dirs : ['../shared/models', 'models']), null, 2));
}
