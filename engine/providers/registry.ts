/**
 * The one table of backends (STYLE habit 8): a provider id names a backend and its argument, the
 * table builds it. Callers never branch on provider names. Ids:
 *   extractors   `rules`, `llm:<text-model>`, `hybrid:<text-model>`
 *   text models  `llama:<file in the manifest>`, `bedrock:<model-id>`, or a bare manifest model id
 *                (inside `llm:` / `hybrid:`, e.g. `llm:qwen2.5-1.5b`, `llm:bedrock:anthropic.claude-3-haiku-20240307-v1:0`)
 *   embedders    `concept`, `onnx:<folder>`, `bedrock-embed:<model-id>`
 *   OCR          `tesseract`, `textract`
 * An unknown id, or an id of the wrong kind, is `CONFIG_INVALID` listing the known ids.
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { TextractClient } from '@aws-sdk/client-textract';
import { WardClerkError } from '../../core/errors.js';
import { openModelRegistry, type ModelRegistry } from '../models/model-registry.js';
import type { Embedder } from './embedder.js';
import type { Extractor } from './extractor.js';
import type { LlamaGpuMode } from './llama-runtime.js';
import type { OcrModel } from './ocr-model.js';
import type { TextModel } from './text-model.js';

// Backends are imported when first used: they pull native modules (llama.cpp, onnxruntime,
// tesseract) and SDKs that an engine configured for `rules` alone should never load.
const load = {
  bedrockText: () => import('./bedrock-text-model.js'),
  bedrockEmbedder: () => import('./bedrock-embedder.js'),
  concept: () => import('./concept-embedder.js'),
  hybrid: () => import('./hybrid-extractor.js'),
  llama: () => import('./llama-text-model.js'),
  llamaRuntime: () => import('./llama-runtime.js'),
  llm: () => import('./llm-extractor.js'),
  onnx: () => import('./onnx-embedder.js'),
  rules: () => import('./rules-extractor.js'),
  tesseract: () => import('./tesseract-ocr.js'),
  textract: () => import('./textract-ocr.js'),
  bedrockSdk: () => import('@aws-sdk/client-bedrock-runtime'),
  textractSdk: () => import('@aws-sdk/client-textract'),
};

export type Provider =
  | { kind: 'extractor'; value: Extractor }
  | { kind: 'text-model'; value: TextModel }
  | { kind: 'embedder'; value: Embedder }
  | { kind: 'ocr'; value: OcrModel };
export type ProviderKind = Provider['kind'];

export interface ProviderDeps {
  /** Config `modelsDir`. */
  modelsDir: string;
  /** Config `engineThreads`; 0 = physical cores. A manifest entry's `options.threads` wins. */
  threads: number;
  /** Default `auto` (CUDA → Vulkan → CPU). */
  gpu?: LlamaGpuMode;
  /** An opened registry (shared by the engine); otherwise opened from `modelsDir` per call. */
  models?: ModelRegistry;
  /** Injected AWS clients (tests point them at a replay server); otherwise SDK defaults in `awsRegion`. */
  bedrockClient?: BedrockRuntimeClient;
  textractClient?: TextractClient;
  awsRegion?: string;
  /** Clock for the rules engine. */
  now?: () => Date;
}

type Factory = (arg: string, deps: ProviderDeps) => Promise<Provider>;

interface TableEntry {
  /** `rules` (no argument) or `llm:` (takes the rest of the id as its argument). */
  prefix: string;
  kind: ProviderKind;
  create: Factory;
}

async function bedrockClient(deps: ProviderDeps): Promise<BedrockRuntimeClient> {
  if (deps.bedrockClient) return deps.bedrockClient;
  const { BedrockRuntimeClient } = await load.bedrockSdk();
  return new BedrockRuntimeClient(deps.awsRegion ? { region: deps.awsRegion } : {});
}

async function rulesExtractor(deps: ProviderDeps): Promise<Extractor> {
  return (await load.rules()).createRulesExtractor(deps.now ? { now: deps.now } : {});
}

async function llmExtractor(arg: string, deps: ProviderDeps): Promise<Extractor> {
  return (await load.llm()).createLlmExtractor({ model: await textModelFor(arg, deps), id: `llm:${arg}`, ownsModel: true });
}

async function manifestTextModel(id: string, deps: ProviderDeps, by: 'id' | 'file'): Promise<TextModel> {
  const models = deps.models ?? (await openModelRegistry({ modelsDir: deps.modelsDir }));
  const entry = by === 'id' ? models.get(id) : models.manifest.models.find((m) => m.file === id);
  if (!entry) {
    throw new WardClerkError('MODEL_NOT_FOUND', `${id} is not listed in the model manifest; add it with its sha256 to load it`, {
      details: { file: id, known: models.manifest.models.map((m) => m.file) },
    });
  }
  if (entry.kind !== 'gguf') throw new WardClerkError('CONFIG_INVALID', `Model ${entry.id} is ${entry.kind}, not a GGUF text model`, { details: { id: entry.id } });
  const { path } = await models.resolve(entry.id);
  const gpu = deps.gpu ?? 'auto';
  const threads = entry.options.threads ?? (deps.threads > 0 ? deps.threads : (await (await load.llamaRuntime()).loadLlamaRuntime(gpu)).cpuMathCores);
  return (await load.llama()).createLlamaTextModel({
    modelPath: path,
    modelId: entry.id,
    threads,
    gpu,
    ...(entry.options.contextSize ? { contextSize: entry.options.contextSize } : {}),
    ...(entry.options.gpuLayers !== undefined ? { gpuLayers: entry.options.gpuLayers } : {}),
  });
}

/** A text model from `llm:`/`hybrid:` arguments: a full text-model id, or a bare manifest id. */
async function textModelFor(arg: string, deps: ProviderDeps): Promise<TextModel> {
  const entry = findEntry(arg);
  if (entry && entry.kind === 'text-model' && arg.includes(':')) return (await entry.create(arg.slice(entry.prefix.length), deps)).value as TextModel;
  return manifestTextModel(arg, deps, 'id');
}

const TABLE: TableEntry[] = [
  { prefix: 'rules', kind: 'extractor', create: async (_, deps) => ({ kind: 'extractor', value: await rulesExtractor(deps) }) },
  { prefix: 'llm:', kind: 'extractor', create: async (arg, deps) => ({ kind: 'extractor', value: await llmExtractor(arg, deps) }) },
  {
    prefix: 'hybrid:',
    kind: 'extractor',
    create: async (arg, deps) => {
      const [rules, llm] = [await rulesExtractor(deps), await llmExtractor(arg, deps)];
      return { kind: 'extractor', value: (await load.hybrid()).createHybridExtractor({ rules, llm, id: `hybrid:${arg}` }) };
    },
  },
  { prefix: 'llama:', kind: 'text-model', create: async (arg, deps) => ({ kind: 'text-model', value: await manifestTextModel(arg, deps, 'file') }) },
  {
    prefix: 'bedrock:',
    kind: 'text-model',
    create: async (arg, deps) => ({ kind: 'text-model', value: new (await load.bedrockText()).BedrockTextModel({ client: await bedrockClient(deps), modelId: arg }) }),
  },
  { prefix: 'concept', kind: 'embedder', create: async () => ({ kind: 'embedder', value: (await load.concept()).createConceptEmbedder() }) },
  {
    prefix: 'onnx:',
    kind: 'embedder',
    create: async (arg, deps) => ({
      kind: 'embedder',
      value: await (await load.onnx()).createOnnxEmbedder({ modelsDir: deps.modelsDir, modelId: arg, ...(deps.threads > 0 ? { threads: deps.threads } : {}) }),
    }),
  },
  {
    prefix: 'bedrock-embed:',
    kind: 'embedder',
    create: async (arg, deps) => ({ kind: 'embedder', value: (await load.bedrockEmbedder()).createBedrockEmbedder({ client: await bedrockClient(deps), modelId: arg }) }),
  },
  { prefix: 'tesseract', kind: 'ocr', create: async () => ({ kind: 'ocr', value: await (await load.tesseract()).createTesseractOcr() }) },
  {
    prefix: 'textract',
    kind: 'ocr',
    create: async (_, deps) => {
      const client = deps.textractClient ?? new (await load.textractSdk()).TextractClient(deps.awsRegion ? { region: deps.awsRegion } : {});
      return { kind: 'ocr', value: (await load.textract()).createTextractOcr({ client }) };
    },
  },
];

/** The id patterns the table knows, for error messages and the admin UI. */
export const KNOWN_PROVIDER_IDS: readonly string[] = TABLE.map((e) => (e.prefix.endsWith(':') ? `${e.prefix}<${e.prefix === 'onnx:' ? 'folder' : e.prefix === 'llama:' ? 'file' : 'model-id'}>` : e.prefix));

function findEntry(id: string): TableEntry | undefined {
  return TABLE.find((e) => (e.prefix.endsWith(':') ? id.startsWith(e.prefix) && id.length > e.prefix.length : id === e.prefix));
}

function unknown(id: string, kind?: ProviderKind): WardClerkError {
  const known = TABLE.filter((e) => !kind || e.kind === kind).map((e) => KNOWN_PROVIDER_IDS[TABLE.indexOf(e)] as string);
  return new WardClerkError('CONFIG_INVALID', `Unknown ${kind ?? 'provider'} id "${id}"; known: ${known.join(', ')}`, { details: { id, known } });
}

/** Builds the provider named by `id`. Loading local models verifies their checksum first. */
export async function createProvider(id: string, deps: ProviderDeps): Promise<Provider> {
  const entry = findEntry(id);
  if (!entry) throw unknown(id);
  return entry.create(entry.prefix.endsWith(':') ? id.slice(entry.prefix.length) : '', deps);
}

interface KindValue {
  extractor: Extractor;
  'text-model': TextModel;
  embedder: Embedder;
  ocr: OcrModel;
}

async function createOfKind<K extends ProviderKind>(id: string, kind: K, deps: ProviderDeps): Promise<KindValue[K]> {
  const entry = findEntry(id);
  if (!entry || entry.kind !== kind) throw unknown(id, kind);
  return (await createProvider(id, deps)).value as KindValue[K];
}

export const createExtractor = (id: string, deps: ProviderDeps): Promise<Extractor> => createOfKind(id, 'extractor', deps);
export const createTextModel = (id: string, deps: ProviderDeps): Promise<TextModel> => createOfKind(id, 'text-model', deps);
export const createEmbedder = (id: string, deps: ProviderDeps): Promise<Embedder> => createOfKind(id, 'embedder', deps);
export const createOcrModel = (id: string, deps: ProviderDeps): Promise<OcrModel> => createOfKind(id, 'ocr', deps);
