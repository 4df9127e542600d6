/**
 * Keeps the attempt limiter's state across a gateway restart, so restarting (or crashing) the
 * gateway does not hand a blocked guesser a fresh allowance. The file holds only SHA-256 digests
 * of identities and IPs with counters and times (no names, no addresses), is written 0600 by an
 * atomic rename at most once a second, and a missing or damaged file starts empty.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AttemptLimiter } from './attempt-limiter.js';

const FileSchema = z.object({
  version: z.literal(1),
  entries: z.array(z.tuple([z.string().regex(/^[0-9a-f]{64}$/), z.object({ failures: z.number().int().min(0), last: z.number(), blockedUntil: z.number() })])).max(100_000),
});

/** Restores saved state into `limiter`; returns how many entries were loaded. */
export async function loadLimiterState(file: string, limiter: AttemptLimiter): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return 0;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 0;
  }
  const parsed = FileSchema.safeParse(value);
  if (!parsed.success) return 0;
  limiter.restore(parsed.data.entries);
  return parsed.data.entries.length;
}

export interface LimiterSaver {
  /** Schedules a save (coalesced: at most one write per `delayMs`). */
  schedule(): void;
  /** Writes now if a save is pending. */
  flush(): Promise<void>;
}

/** Saves `limiter` to `file` after changes; write errors are reported, never thrown. */
export function createLimiterSaver(file: string, limiter: AttemptLimiter, onError: (e: unknown) => void, delayMs = 1000): LimiterSaver {
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const write = async () => {
    timer = null;
    const tmp = `${file}.tmp`;
    const body = JSON.stringify({ version: 1, entries: limiter.entries() });
    writing = writing
      .then(async () => {
        await writeFile(tmp, body, { mode: 0o600 });
        await rename(tmp, file);
      })
      .catch(onError);
    await writing;
  };
  return {
    schedule() {
      if (timer) return;
      timer = setTimeout(() => void write(), delayMs);
      timer.unref();
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        await write();
      } else await writing;
    },
  };
}
