/**
 * Reads a vocabulary's files in order — the built-in file first unless excluded, then the
 * hospital's own — handing each file's text to `add`. A file that cannot be read throws
 * CONFIG_INVALID naming its position and path (never its content).
 */
import { readFileSync } from 'node:fs';
import { WardClerkError } from '../../../core/errors.js';

export function readVocabFiles(
  kind: string,
  builtin: string | URL,
  paths: string[],
  includeBuiltin: boolean,
  add: (text: string) => void,
): void {
  const sources: Array<string | URL> = [...(includeBuiltin ? [builtin] : []), ...paths];
  for (const [i, src] of sources.entries()) {
    let text: string;
    try {
      text = readFileSync(src, 'utf8');
    } catch (cause) {
      throw new WardClerkError('CONFIG_INVALID', `${kind} vocabulary file could not be read`, { details: { index: i, path: String(src) }, cause });
    }
    add(text);
  }
}
