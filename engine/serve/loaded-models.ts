/**
 * The text models an engine has loaded, each behind its own admission gate, with a running
 * tokens/s figure for the capability announcement. Loading goes through the provider registry, so
 * the file's sha256 is verified first (a mismatch is MODEL_CHECKSUM_MISMATCH naming the path) and
 * nothing is ever downloaded. Loading an id twice returns the loaded one; concurrent loads of the
 * same id share one load.
 */
import { WardClerkError } from '../../core/errors.js';
import type { LoadedModelInfo } from '../../core/contracts.js';
import type { ModelRegistry } from '../models/model-registry.js';
import { createTextModel, type ProviderDeps } from '../providers/registry.js';
import type { TextModel } from '../providers/text-model.js';
import { createAdmissionGate, type AdmissionGate } from './admission-gate.js';

export interface LoadedModel {
  id: string;
  model: TextModel;
  gate: AdmissionGate;
  /** Records one finished generation for the tokens/s figure. */
  record(completionTokens: number, seconds: number): void;
  tokensPerSecond(): number | null;
  /** Counts how a generation ended (reported in LoadedModelInfo). */
  count(outcome: Outcome): void;
  outcomes(): Record<Outcome, number>;
}

export type Outcome = 'completed' | 'cancelled' | 'failed';

export interface LoadedModels {
  load(id: string): Promise<LoadedModelInfo>;
  /** Resolves `unloaded: false` when the id was not loaded here. Waits for running calls to end. */
  unload(id: string): Promise<{ model_id: string; unloaded: boolean }>;
  /** The model for `id`, or the first loaded one when `id` is absent; MODEL_NOT_FOUND otherwise. */
  get(id?: string): LoadedModel;
  list(): LoadedModelInfo[];
  /** Sum of running and queued calls over every model. */
  depth(): number;
  close(): Promise<void>;
}

export interface LoadedModelsOptions {
  registry: ModelRegistry;
  deps: ProviderDeps;
  concurrency: number;
  queueSize: number;
}

function describe(m: LoadedModel): LoadedModelInfo {
  const s = m.gate.stats();
  return {
    id: m.id,
    provider: m.model.provider,
    kind: 'text-model',
    context_size: m.model.contextSize,
    concurrency: s.concurrency,
    queue_size: s.queue_size,
    active: s.active,
    queued: s.queued,
    tokens_per_s: m.tokensPerSecond(),
    ...m.outcomes(),
  };
}

export function createLoadedModels(options: LoadedModelsOptions): LoadedModels {
  const loaded = new Map<string, LoadedModel>();
  const loading = new Map<string, Promise<LoadedModel>>();

  const open = async (id: string): Promise<LoadedModel> => {
    const entry = options.registry.get(id);
    if (entry.kind !== 'gguf') {
      throw new WardClerkError('CONFIG_INVALID', `Model ${id} is ${entry.kind}; only GGUF text models are loaded on demand`, { details: { id, kind: entry.kind } });
    }
    const model = await createTextModel(`llama:${entry.file}`, { ...options.deps, models: options.registry });
    let tokens = 0;
    let seconds = 0;
    const outcomes: Record<Outcome, number> = { completed: 0, cancelled: 0, failed: 0 };
    return {
      id,
      model,
      gate: createAdmissionGate({ name: id, concurrency: options.concurrency, queueSize: options.queueSize }),
      record(n, s) {
        tokens += n;
        seconds += s;
      },
      tokensPerSecond: () => (seconds > 0 ? Math.round((tokens / seconds) * 10) / 10 : null),
      count: (o) => { outcomes[o]++; },
      outcomes: () => ({ ...outcomes }),
    };
  };

  return {
    async load(id) {
      const existing = loaded.get(id);
      if (existing) return describe(existing);
      let pending = loading.get(id);
      if (!pending) {
        pending = open(id).finally(() => loading.delete(id));
        loading.set(id, pending);
      }
      const m = await pending;
      loaded.set(id, m);
      return describe(m);
    },
    async unload(id) {
      const m = loaded.get(id);
      if (!m) return { model_id: id, unloaded: false };
      loaded.delete(id);
      await m.model.close();
      return { model_id: id, unloaded: true };
    },
    get(id) {
      const m = id ? loaded.get(id) : loaded.values().next().value;
      if (!m) {
        throw new WardClerkError('MODEL_NOT_FOUND', id ? `Model ${id} is not loaded on this engine` : 'No text model is loaded on this engine', {
          details: { ...(id ? { id } : {}), loaded: [...loaded.keys()] },
        });
      }
      return m;
    },
    list: () => [...loaded.values()].map(describe),
    depth: () => [...loaded.values()].reduce((n, m) => n + m.gate.stats().active + m.gate.stats().queued, 0),
    async close() {
      for (const id of [...loaded.keys()]) await this.unload(id);
    },
  };
}
