import { describe, expect, it } from 'vitest';
import { detectHardware, toCapabilities } from './hardware.js';

describe('detectHardware', () => {
  it('detects a device (GPU when a prebuilt binary and driver work, else CPU) without compiling or downloading', async () => {
    const hw = await detectHardware({ gpu: 'auto', threads: 0 });
    expect(['cuda', 'vulkan', 'metal', 'cpu']).toContain(hw.device);
    expect(hw.cpu.logicalCores).toBeGreaterThan(0);
    expect(hw.cpu.physicalCores).toBeGreaterThan(0);
    expect(hw.threads).toBe(hw.cpu.physicalCores);
    if (hw.device === 'cpu') {
      expect(hw.vram).toBeNull();
      expect(hw.fallbackReason).not.toBeNull();
    } else {
      expect(hw.vram!.total).toBeGreaterThan(0);
      expect(hw.gpuNames.length).toBeGreaterThan(0);
    }
    const caps = toCapabilities(hw);
    expect(caps.device).toBe(hw.device);
    expect(caps.cpu.threads).toBe(hw.threads);
  });

  it('an explicit thread count wins and gpu:false reports CPU', async () => {
    const hw = await detectHardware({ gpu: false, threads: 1 });
    expect(hw.device).toBe('cpu');
    expect(hw.threads).toBe(1);
    expect(hw.fallbackReason).toBeNull();
  });
});
