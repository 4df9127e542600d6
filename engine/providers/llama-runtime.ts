/**
 * Loads the node-llama-cpp native runtime once per GPU mode. The binding is process-wide native
 * state, so a per-process cache is the honest shape (not a convenience global). `build: 'never'`
 * means a missing prebuilt binary is an error, never a compile or a download (air-gapped sites).
 */
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

/** `auto` tries CUDA, then Vulkan (Metal on macOS), then CPU; `false` forces CPU. */
export type LlamaGpuMode = 'auto' | false;

const runtimes = new Map<string, Promise<Llama>>();

/** The shared runtime for `gpu`. Native log noise is kept at warnings and above. */
export function loadLlamaRuntime(gpu: LlamaGpuMode = 'auto'): Promise<Llama> {
  const key = String(gpu);
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = getLlama({ gpu, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false });
    runtimes.set(key, runtime);
    // A failed load must not be cached forever: the next call retries.
    runtime.catch(() => runtimes.delete(key));
  }
  return runtime;
}
