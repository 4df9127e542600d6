/**
 * The `--jsonl` mode shared by `wardclerk extract` and `wardclerk sig`: reads `{"id","text"}`
 * lines on stdin and writes one `{"id", ...result}` line per input line. A bad line (invalid
 * UTF-8, not JSON, no string "text", empty text) gives `{"id","error":{code,message}}` and the run
 * continues; the exit code is 1 at the end if any line failed. Messages never echo note text.
 */
import type { CliIo } from './cli-io.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8, or null. */
export function decodeStrict(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Yields raw lines (without the newline) so each line's UTF-8 can be checked on its own. */
async function* byteLines(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  let pending = Buffer.alloc(0);
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    pending = pending.length === 0 ? buf : Buffer.concat([pending, buf]);
    let nl = pending.indexOf(10);
    while (nl >= 0) {
      yield pending.subarray(0, nl);
      pending = pending.subarray(nl + 1);
      nl = pending.indexOf(10);
    }
  }
  if (pending.length > 0) yield pending;
}

type Line = { ok: true; id: unknown; text: string } | { ok: false; id: unknown; code: string; message: string };

function parseLine(raw: Buffer): Line {
  const line = decodeStrict(raw);
  if (line === null) return { ok: false, id: null, code: 'INVALID_UTF8', message: 'line is not valid UTF-8' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, id: null, code: 'INVALID_JSON', message: 'line is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: null, code: 'VALIDATION_FAILED', message: 'line must be a JSON object with "id" and "text"' };
  }
  const { id = null, text } = value as { id?: unknown; text?: unknown };
  if (typeof text !== 'string') return { ok: false, id, code: 'VALIDATION_FAILED', message: '"text" must be a string' };
  if (text.trim() === '') return { ok: false, id, code: 'EMPTY_TEXT', message: '"text" is empty' };
  return { ok: true, id, text };
}

/** Runs `handle` on every line's text; resolves to the exit code (0, or 1 if any line failed). */
export async function runJsonl(io: CliIo, handle: (text: string) => object): Promise<number> {
  let failed = false;
  for await (const raw of byteLines(io.stdin)) {
    const trimmed = raw.length > 0 && raw[raw.length - 1] === 13 ? raw.subarray(0, raw.length - 1) : raw;
    if (trimmed.toString('latin1').trim() === '') continue;
    const r = parseLine(trimmed);
    if (r.ok) {
      io.stdout.write(`${JSON.stringify({ id: r.id, ...handle(r.text) })}\n`);
    } else {
      failed = true;
      io.stdout.write(`${JSON.stringify({ id: r.id, error: { code: r.code, message: r.message } })}\n`);
    }
  }
  return failed ? 1 : 0;
}
