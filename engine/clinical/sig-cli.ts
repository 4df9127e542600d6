/**
 * `wardclerk sig "<dose instruction>"` prints the FHIR Dosage array as pretty JSON;
 * `wardclerk sig --jsonl` reads `{"id","text"}` lines from stdin and writes one
 * `{"id", ...SigResult}` line per input (a bad line gives `{"id","error":{code,message}}` and the
 * run continues; exit 1 at the end if any line failed). Exit codes: 0 ok, 1 bad input, 2 usage.
 */
import type { CliIo } from './cli-io.js';
import { runJsonl } from './jsonl-cli.js';
import { parseSig } from './sig/parse-sig.js';

const USAGE = 'usage: wardclerk sig "<dose instruction>" | wardclerk sig --jsonl < input.jsonl\n';

/** Runs the sig command; resolves to the process exit code. */
export async function runSig(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.stdout.write(USAGE); return 0; }
  const unknown = args.filter((a) => a.startsWith('--') && a !== '--jsonl');
  if (unknown.length > 0) { io.stderr.write(`unknown option ${unknown[0]}\n${USAGE}`); return 2; }
  if (args.includes('--jsonl')) {
    if (args.length !== 1) { io.stderr.write(`--jsonl takes no other arguments\n${USAGE}`); return 2; }
    return runJsonl(io, (text) => parseSig(text));
  }
  if (args.length !== 1) { io.stderr.write(USAGE); return 2; }
  const text = args[0]!;
  if (text.trim() === '') { io.stderr.write('EMPTY_TEXT: the dose instruction is empty\n'); return 1; }
  io.stdout.write(`${JSON.stringify(parseSig(text).dosage, null, 2)}\n`);
  return 0;
}
