/**
 * The engine's composition root: the only place models run. On start it detects its hardware,
 * opens the model registry (no manifest = rules only) and builds the configured extractor and OCR
 * model — a configured model that is absent or fails its checksum fails the start with the coded
 * error naming the path. It answers `wc.engine.extract`, `wc.engine.sig`, `wc.engine.ocr` and
 * `wc.engine.generate` in the `engine` queue group (so more engines add capacity), answers
 * `wc.engine.ping` and `wc.engine.models.load|unload` individually (every engine reports / acts),
 * and announces itself on `wc.engine.info` at start, on every model change and every 30 s.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { connectBus, encodeJson } from '../core/bus.js';
import type { Config } from '../core/config.js';
import { ENGINE_INFO_SUBJECT, contracts, type EngineInfo } from '../core/contracts.js';
import { WardClerkError, isWardClerkError } from '../core/errors.js';
import { resolveRoleCredentials } from '../core/nats-credentials.js';
import { createLogger, type Logger } from '../core/logger.js';
import { announceReady, type RoleHandle } from '../core/role.js';
import { parseSig } from './clinical/sig/parse-sig.js';
import { detectHardware, toCapabilities } from './models/hardware.js';
import { openModelRegistry } from './models/model-registry.js';
import type { Extractor } from './providers/extractor.js';
import type { OcrModel } from './providers/ocr-model.js';
import { createExtractor, createOcrModel, type ProviderDeps } from './providers/registry.js';
import { createAdmissionGate } from './serve/admission-gate.js';
import { createExtractBatchHandler } from './serve/extract-batch-service.js';
import { serveGenerate } from './serve/generate-service.js';
import { createLoadedModels } from './serve/loaded-models.js';
import { createOcrHandler } from './serve/ocr-service.js';
import { createPlanItemsHandler } from './serve/plan-items-service.js';

export interface RunEngineOptions {
  /** Defaults to a pino logger at config.logLevel on stdout; tests pass one that captures lines. */
  log?: Logger;
}

/** The configured OCR model; a missing data file degrades to "no OCR" (415 at the gateway), a bad id fails the start. */
async function openOcr(config: Config, deps: ProviderDeps, log: Logger): Promise<OcrModel | null> {
  if (config.ocr === 'none') return null;
  try {
    return await createOcrModel(config.ocr, deps);
  } catch (e) {
    if (isWardClerkError(e) && e.code === 'MODEL_NOT_FOUND') {
      log.warn({ code: e.code, details: e.details }, 'OCR model unavailable; images and scans will be refused');
      return null;
    }
    throw e;
  }
}

export async function runEngine(config: Config, options: RunEngineOptions = {}): Promise<RoleHandle> {
  const log = options.log ?? createLogger({ level: config.logLevel, role: 'engine' });
  if (!config.natsUrl) throw new WardClerkError('CONFIG_INVALID', 'NATS_URL is required to run the engine alone (npm start sets it)', { details: { variable: 'NATS_URL' } });
  const gpu = config.engineGpu === 'off' ? false : 'auto';
  const hw = await detectHardware({ gpu, threads: config.engineThreads });
  const registry = await openModelRegistry({ modelsDir: config.modelsDir });
  const deps: ProviderDeps = { modelsDir: config.modelsDir, threads: hw.threads, gpu, models: registry, ...(config.awsRegion ? { awsRegion: config.awsRegion } : {}) };

  const extractors = new Map<string, Extractor>([['rules', await createExtractor('rules', deps)]]);
  if (config.extractor !== 'rules') extractors.set(config.extractor, await createExtractor(config.extractor, deps));
  const defaultExtractor = extractors.get(config.extractor)!;
  const ocr = await openOcr(config, deps, log);
  const ocrGate = createAdmissionGate({ name: ocr ? `${ocr.provider}:${ocr.modelId}` : 'ocr', concurrency: config.modelConcurrency, queueSize: config.modelQueue });
  const models = createLoadedModels({ registry, deps, concurrency: config.modelConcurrency, queueSize: config.modelQueue });

  const bus = await connectBus({ url: config.natsUrl, name: 'wardclerk-engine', log, credentials: await resolveRoleCredentials(config, 'engine') });
  const engineId = randomUUID();
  const startedAt = new Date().toISOString();
  let inFlight = 0;

  const info = (): EngineInfo => {
    const loaded = models.list();
    const o = ocrGate.stats();
    return {
      engine_id: engineId,
      hostname: hostname(),
      pid: process.pid,
      started_at: startedAt,
      device: hw.device,
      extractors: [...extractors.keys()],
      models: [...loaded, ...(ocr ? [{ id: `${ocr.provider}:${ocr.modelId}`, provider: ocr.provider, kind: 'ocr', ...o }] : [])],
      queue_depth: inFlight + models.depth() + o.active + o.queued,
      capabilities: {
        ...toCapabilities(hw),
        ocr: ocr !== null,
        embed: false,
        generate: loaded.length > 0,
        default_extractor: defaultExtractor.id,
        tokens_per_s: loaded.reduce((sum, m) => sum + (m.tokens_per_s ?? 0), 0) || null,
        available_models: registry.manifest.models.map((m) => ({ id: m.id, kind: m.kind, roles: m.roles })),
      },
    };
  };
  const announce = () => {
    if (!bus.nc.isClosed()) bus.nc.publish(ENGINE_INFO_SUBJECT, encodeJson(info()));
  };

  bus.serve(contracts.engineExtract, async ({ text, extractor, ocr_confidence }) => {
    const chosen = extractor ? extractors.get(extractor) : defaultExtractor;
    if (!chosen) throw new WardClerkError('MODEL_NOT_FOUND', 'Unknown extractor', { details: { extractor, known: [...extractors.keys()] } });
    inFlight++;
    try {
      return await chosen.extract(ocr_confidence === undefined ? { text } : { text, ocrConfidence: ocr_confidence });
    } finally {
      inFlight--;
    }
  }, { queue: 'engine' });
  bus.serve(contracts.engineExtractBatch, createExtractBatchHandler({
    choose: (id) => {
      const chosen = id ? extractors.get(id) : defaultExtractor;
      if (!chosen) throw new WardClerkError('MODEL_NOT_FOUND', 'Unknown extractor', { details: { extractor: id, known: [...extractors.keys()] } });
      return chosen;
    },
    onStart: (n) => (inFlight += n),
    onEnd: (n) => (inFlight -= n),
  }), { queue: 'engine' });
  bus.serve(contracts.enginePlanItems, createPlanItemsHandler({
    choose: (id) => {
      const chosen = id ? extractors.get(id) : defaultExtractor;
      if (!chosen) throw new WardClerkError('MODEL_NOT_FOUND', 'Unknown extractor', { details: { extractor: id, known: [...extractors.keys()] } });
      return chosen;
    },
    onStart: () => inFlight++,
    onEnd: () => inFlight--,
  }), { queue: 'engine' });
  bus.serve(contracts.engineSig, async ({ text }) => ({ ...parseSig(text) }), { queue: 'engine' });
  bus.serve(contracts.enginePing, async () => info());
  bus.serve(contracts.engineOcr, createOcrHandler({ ocr, gate: ocrGate }), { queue: 'engine' });
  bus.serve(contracts.engineModelsLoad, async ({ model_id }) => {
    const loaded = await models.load(model_id);
    log.info({ model_id }, 'model loaded');
    announce();
    return loaded;
  });
  bus.serve(contracts.engineModelsUnload, async ({ model_id }) => {
    const r = await models.unload(model_id);
    if (r.unloaded) log.info({ model_id }, 'model unloaded');
    announce();
    return r;
  });
  const generation = serveGenerate({ nc: bus.nc, models, log });

  announce();
  const timer = setInterval(announce, 30_000);
  timer.unref();
  await bus.nc.flush();
  log.info({ engine_id: engineId, device: hw.device, threads: hw.threads, extractors: [...extractors.keys()], ocr: ocr?.provider ?? null }, 'ready');
  announceReady('engine');

  return {
    async close() {
      clearInterval(timer);
      generation.close();
      await bus.close();
      await models.close();
      for (const x of extractors.values()) await x.close?.();
      await ocr?.close?.();
    },
  };
}
