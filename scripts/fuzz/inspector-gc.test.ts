import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectGarbage, inspectorUrl } from './inspector-gc.js';

describe('inspector-gc', () => {
  it('takes the last DevTools URL a process printed (a restarted role prints a new one)', () => {
    const logs = [
      'Debugger listening on ws://127.0.0.1:40001/0f1e2d3c-aaaa-bbbb-cccc-000000000001',
      '{"level":30,"msg":"ready"}',
      'Debugger listening on ws://127.0.0.1:40002/0f1e2d3c-aaaa-bbbb-cccc-000000000002',
    ].join('\n');
    expect(inspectorUrl(logs)).toBe('ws://127.0.0.1:40002/0f1e2d3c-aaaa-bbbb-cccc-000000000002');
    expect(inspectorUrl('{"msg":"no inspector"}')).toBeNull();
  });

  it('collects garbage in a real child process: the dropped 64 MB array no longer counts as live', async () => {
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', 'globalThis.keep = new Array(8e6).fill(1.5); process.stdout.write("filled\\n"); process.stdin.on("data", () => { globalThis.keep = null; process.stdout.write("dropped\\n"); }); setInterval(() => {}, 1000);'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    try {
      await expect.poll(() => (inspectorUrl(err) !== null && out.includes('filled')), { timeout: 10_000 }).toBe(true);
      const url = inspectorUrl(err)!;
      const full = await collectGarbage(url);
      child.stdin.write('x');
      await expect.poll(() => out.includes('dropped'), { timeout: 5_000 }).toBe(true);
      const empty = await collectGarbage(url);
      expect(full.usedBytes).toBeGreaterThan(60 * 1024 * 1024);
      expect(full.usedBytes - empty.usedBytes).toBeGreaterThan(60 * 1024 * 1024);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);
});
