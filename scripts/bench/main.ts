/**
 * `npm run bench`: every benchmark, printed as one JSON object. Each section reports its own
 * baseline measured in the same run, and the ratio. `npm run bench -- http extraction` runs a subset.
 */
const SECTIONS: Record<string, () => Promise<Record<string, unknown>>> = {
  http: async () => (await import('./http.js')).benchHttp(),
  extraction: async () => (await import('./extraction.js')).benchExtraction(),
  embeddings: async () => (await import('./embeddings.js')).benchEmbeddings(),
  ocr: async () => (await import('./ocr.js')).benchOcr(),
  llama: async () => (await import('./llama.js')).benchLlama(['../shared/models/stories260K', '../shared/models/llama-2-tiny-random', process.env.WARDCLERK_MODELS_DIR ?? 'models']),
  engine_rpc: async () => (await import('./engine-rpc.js')).benchEngineRpc(),
  batch: async () => (await import('./batch.js')).benchBatch(),
  latency: async () => (await import('./latency.js')).benchLatency(),
  schedule: async () => (await import('./schedule-expansion.js')).benchScheduleExpansion(),
  reminders: async () => (await import('./reminders.js')).benchReminders(),
  plan: async () => (await import('./plan.js')).benchPlan(),
  retrieval: async () => (await import('./retrieval.js')).benchRetrieval(),
  chat: async () => (await import('./chat.js')).benchChat(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
const unknown = names.filter((n) => !(n in SECTIONS));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}\n`);
  process.exit(2);
}
const out: Record<string, unknown> = {
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length, platform: process.platform },
  started_at: new Date().toISOString(),
};
for (const name of names) {
  const t0 = performance.now();
  try {
    out[name] = await SECTIONS[name]!();
  } catch (e) {
    out[name] = { error: (e as Error).message };
  }
  process.stderr.write(`bench ${name}: ${Math.round(performance.now() - t0)} ms\n`);
}
// Model runtimes and OCR worker pools keep handles open; the report is complete, so leave.
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`, () => process.exit(0));
