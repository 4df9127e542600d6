/**
 * Streamed sha256 of a file (multi-GB GGUF files never sit in memory). A missing file is
 * `MODEL_NOT_FOUND` naming the path.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { WardClerkError } from '../../core/errors.js';

/** Hex sha256 of the file at `path`; honours `signal` between chunks. */
export async function fileSha256(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) })) hash.update(chunk as Buffer);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new WardClerkError('MODEL_NOT_FOUND', `Model file not found: ${path}`, { details: { path }, cause });
    }
    if (signal?.aborted) throw new WardClerkError('CANCELLED', 'request cancelled', { cause });
    throw new WardClerkError('INTERNAL', `Cannot read model file ${path}`, { details: { path }, cause });
  }
  return hash.digest('hex');
}
