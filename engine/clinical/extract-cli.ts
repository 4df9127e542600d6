/**
 * `wardclerk extract [--file F]` reads one note (stdin by default) and prints its Extraction as
 * pretty JSON. `wardclerk extract --jsonl` reads `{"id","text"}` lines on stdin and writes one
 * `{"id", ...Extraction}` line per input line; a bad line gives `{"id","error":{code,message}}`
 * and the run continues, exiting 1 at the end. Exit codes: 0 ok, 1 bad input (empty note,
 * unreadable file, invalid UTF-8; message on stderr, never note text), 2 usage.
 */
import { readFile } from 'node:fs/promises';
import type { CliIo } from './cli-io.js';
import { extractClinical } from './extract.js';
import { decodeStrict as decode, runJsonl } from './jsonl-cli.js';

const USAGE = 'usage: wardclerk extract [--file NOTE.txt] | wardclerk extract --jsonl < notes.jsonl\n';


/** Runs the extract command; resolves to the process exit code. */
export async function runExtract(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.stdout.write(USAGE); return 0; }
  let file: string | null = null;
  let jsonl = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--jsonl') jsonl = true;
    else if (a === '--file') {
      const f = args[++i];
      if (f === undefined || f.startsWith('--')) { io.stderr.write(`--file needs a path\n${USAGE}`); return 2; }
      file = f;
    } else if (a.startsWith('--file=')) file = a.slice('--file='.length);
    else { io.stderr.write(`unknown argument ${a.startsWith('--') ? a : '(positional)'}\n${USAGE}`); return 2; }
  }
  if (jsonl && file !== null) { io.stderr.write(`--jsonl reads stdin; it cannot be combined with --file\n${USAGE}`); return 2; }
  if (jsonl) return runJsonl(io, (text) => extractClinical(text));
  let bytes: Uint8Array;
  if (file !== null) {
    try {
      bytes = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
      io.stderr.write(`UNREADABLE_FILE: cannot read the note file (${code})\n`);
      return 1;
    }
  } else {
    bytes = await readAll(io.stdin);
  }
  const text = decode(bytes);
  if (text === null) { io.stderr.write('INVALID_UTF8: the note is not valid UTF-8\n'); return 1; }
  if (text.trim() === '') { io.stderr.write('EMPTY_TEXT: the note is empty\n'); return 1; }
  io.stdout.write(`${JSON.stringify(extractClinical(text), null, 2)}\n`);
  return 0;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
