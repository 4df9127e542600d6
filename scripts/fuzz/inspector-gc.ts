/**
 * A full garbage collection of another Node process through its inspector (the process was
 * started with `--inspect=127.0.0.1:0`, which prints its DevTools URL to stderr). The fuzz run
 * uses it to tell memory a process keeps from garbage V8 has not collected yet: RSS right after a
 * run counts both, and V8 collects lazily while the heap limit is far away. Test harness only; the
 * appliance never opens an inspector.
 */
import WebSocket from 'ws';

export interface HeapReading {
  /** Bytes of live JS objects after the collection. */
  usedBytes: number;
  /** Bytes V8 holds for the JS heap. */
  totalBytes: number;
}

/** The DevTools URL the process printed last (a restarted process prints a new one). */
export function inspectorUrl(logs: string): string | null {
  const all = [...logs.matchAll(/Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+)/g)];
  return all.at(-1)?.[1] ?? null;
}

/** Runs two full collections, then reads the heap's size. Rejects after `timeoutMs`. */
export async function collectGarbage(url: string, timeoutMs = 30_000): Promise<HeapReading> {
  const ws = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let nextId = 1;
    const send = (method: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => reject(new Error(`inspector: ${method} timed out`)), timeoutMs);
        const onMessage = (data: WebSocket.RawData) => {
          const msg = JSON.parse(String(data)) as { id?: number; result?: Record<string, unknown>; error?: { message?: string } };
          if (msg.id !== id) return;
          clearTimeout(timer);
          ws.off('message', onMessage);
          if (msg.error) reject(new Error(`inspector: ${method}: ${msg.error.message ?? 'failed'}`));
          else resolve(msg.result ?? {});
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id, method }));
      });
    await send('HeapProfiler.collectGarbage');
    await send('HeapProfiler.collectGarbage');
    const usage = await send('Runtime.getHeapUsage');
    return { usedBytes: Number(usage['usedSize']), totalBytes: Number(usage['totalSize']) };
  } finally {
    ws.close();
  }
}

/** `collect` for runFuzz: collects in the process whose captured output is `logs()`. */
export function collectorFor(logs: () => string): () => Promise<HeapReading> {
  return async () => {
    const url = inspectorUrl(logs());
    if (!url) throw new Error('inspector: the process printed no DevTools URL (start it with NODE_OPTIONS=--inspect=127.0.0.1:0)');
    return collectGarbage(url);
  };
}

/** The environment that makes a role process open its inspector on a free loopback port. */
export const INSPECT_ENV: Record<string, string> = { NODE_OPTIONS: '--inspect=127.0.0.1:0' };
