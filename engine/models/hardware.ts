/**
 * Hardware detection for the engine's capability announcement (`wc.engine.info`): the compute
 * device node-llama-cpp can use (CUDA, Vulkan, Metal or CPU, via `getLlama({gpu: 'auto',
 * build: 'never'})` — it never compiles or downloads), GPU names and VRAM, and CPU cores.
 * The default thread count is the physical (math) cores; an explicit setting wins.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { Llama } from 'node-llama-cpp';
import { loadLlamaRuntime, type LlamaGpuMode } from '../providers/llama-runtime.js';

export type ComputeDevice = 'cuda' | 'vulkan' | 'metal' | 'cpu';

export interface HardwareInfo {
  device: ComputeDevice;
  gpuNames: string[];
  /** Bytes; null without a GPU. */
  vram: { total: number; free: number } | null;
  cpu: { model: string; logicalCores: number; physicalCores: number };
  memoryBytes: number;
  /** Threads local models use: the configured value, else physical cores. */
  threads: number;
  /** Why detection fell back to CPU (e.g. no prebuilt binary for this GPU); null when not. */
  fallbackReason: string | null;
}

export interface DetectHardwareOptions {
  /** `false` skips GPU probing entirely. */
  gpu?: LlamaGpuMode;
  /** WARDCLERK_ENGINE_THREADS; 0 or absent = physical cores. */
  threads?: number;
  /** Use this runtime instead of loading one (tests). */
  llama?: Llama;
}

/** Probes the machine. A runtime that cannot load at all still yields a CPU description. */
export async function detectHardware(options: DetectHardwareOptions = {}): Promise<HardwareInfo> {
  const logicalCores = availableParallelism();
  let llama: Llama | null = options.llama ?? null;
  let fallbackReason: string | null = null;
  if (!llama) {
    try {
      llama = await loadLlamaRuntime(options.gpu ?? 'auto');
    } catch (cause) {
      fallbackReason = `llama runtime unavailable: ${(cause as Error)?.message ?? String(cause)}`;
    }
  }
  const physicalCores = llama?.cpuMathCores ?? logicalCores;
  const gpu = llama?.gpu ?? false;
  const device: ComputeDevice = gpu === false ? 'cpu' : gpu;
  let vram: HardwareInfo['vram'] = null;
  let gpuNames: string[] = [];
  if (llama && gpu !== false) {
    const state = await llama.getVramState();
    vram = { total: state.total, free: state.free };
    gpuNames = await llama.getGpuDeviceNames();
  }
  if (options.gpu !== false && device === 'cpu' && fallbackReason === null) fallbackReason = 'no usable GPU found (CUDA, Vulkan or Metal)';
  return {
    device,
    gpuNames,
    vram,
    cpu: { model: cpus()[0]?.model ?? 'unknown', logicalCores, physicalCores },
    memoryBytes: totalmem(),
    threads: options.threads && options.threads > 0 ? options.threads : physicalCores,
    fallbackReason,
  };
}

/** The capability announcement the engine publishes on `wc.engine.info` (models filled in by the caller). */
export interface EngineCapabilities {
  device: ComputeDevice;
  gpu: { names: string[]; vramTotalBytes: number; vramFreeBytes: number } | null;
  cpu: { logicalCores: number; physicalCores: number; threads: number };
  memoryBytes: number;
}

export function toCapabilities(hw: HardwareInfo): EngineCapabilities {
  return {
    device: hw.device,
    gpu: hw.vram ? { names: hw.gpuNames, vramTotalBytes: hw.vram.total, vramFreeBytes: hw.vram.free } : null,
    cpu: { logicalCores: hw.cpu.logicalCores, physicalCores: hw.cpu.physicalCores, threads: hw.threads },
    memoryBytes: hw.memoryBytes,
  };
}
