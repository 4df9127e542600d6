/**
 * `wardclerk sig "<dose instruction>"` prints the FHIR Dosage array as pretty JSON;
 * `wardclerk sig --jsonl` reads `{"id","text"}` lines from stdin and writes one
 * `{"id", ...SigResult}` line per input (a bad line gives `{"id","error":{code,message}}` and the
 * run continues; exit 1 at the end if any line failed). Exit codes: 0 ok, 1 bad input, 2 usage.
 */
import { createInterface } from 'node:readline';
import type { CliIo } from './cli-io.js';
import { parseSig } from './sig/parse-sig.js';

const USAGE = 'usage: wardclerk sig "<dose instruction>" | wardclerk sig --jsonl < input.jsonl\n';

/** Runs the sig command; resolves to the process exit code. */
export async function runSig(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.stdout.write(USAGE); return 0; }
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--jsonl');
  if (unknown.length > 0) { io.stderr.write(`unknown option ${unknown[0]}\n${USAGE}`); return 2; }
  if (args.includes('--jsonl')) {
    if (args.length !== 1) { io.stderr.write(`--jsonl takes no other arguments\n${USAGE}`); return 2; }
    return runJsonl(io);
  }
  if (args.length !== 1) { io.stderr.write(USAGE); return 2; }
  const text = args[0]!;
  if (text.trim() === '') { io.stderr.write('EMPTY_TEXT: the dose instruction is empty\n'); return 1; }
  io.stdout.write(`${JSON.stringify(parseSig(text).dosage, null, 2)}\n`);
  return 0;
}

type LineResult = { ok: true; id: unknown; text: string } | { ok: false; id: unknown; code: string; message: string };

function readLine(line: string): LineResult {
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

async function runJsonl(io: CliIo): Promise<number> {
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let failed = false;
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const r = readLine(line);
    if (r.ok) {
      io.stdout.write(`${JSON.stringify({ id: r.id, ...parseSig(r.text) })}\n`);
    } else {
      failed = true;
      io.stdout.write(`${JSON.stringify({ id: r.id, error: { code: r.code, message: r.message } })}\n`);
    }
  }
  return failed ? 1 : 0;
}
