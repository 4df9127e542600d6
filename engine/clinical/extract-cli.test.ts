import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ExtractionSchema } from '../../core/clinical/extraction.js';
import { runExtract } from './extract-cli.js';

async function run(args: string[], stdin: string | Buffer = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => { out += String(d); });
  stderr.on('data', (d) => { err += String(d); });
  const code = await runExtract(args, { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr });
  return { code, out, err };
}

describe('wardclerk extract', () => {
  it('reads a note on stdin and prints the extraction', async () => {
    const r = await run([], 'PMH: HTN. BP 150/95.');
    expect(r.code).toBe(0);
    const x = ExtractionSchema.parse(JSON.parse(r.out));
    expect(x.diseases[0]?.code?.code).toBe('I10');
  });

  it('reads --file and fails cleanly on missing files, empty notes and invalid UTF-8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-extract-'));
    const f = join(dir, 'note.txt');
    writeFileSync(f, 'Denies fever.');
    expect((await run(['--file', f])).code).toBe(0);
    const missing = await run(['--file', join(dir, 'nope.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/UNREADABLE_FILE/);
    expect((await run([], '   \n')).err).toMatch(/EMPTY_TEXT/);
    const bad = await run([], Buffer.from([0x66, 0xff, 0xfe, 0x0a]));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/INVALID_UTF8/);
    expect((await run(['--bogus'])).code).toBe(2);
  });

  it('processes JSONL line by line and reports bad lines without stopping', async () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'No chest pain.' }),
      'not json',
      JSON.stringify({ id: 'c', text: '' }),
      JSON.stringify({ id: 'd', text: 'HbA1c 7.5%' }),
    ].join('\n');
    const r = await run(['--jsonl'], input);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', null, 'c', 'd']);
    expect(lines[0].diseases[0].assertion).toBe('negated');
    expect(lines[1].error.code).toBe('INVALID_JSON');
    expect(lines[2].error.code).toBe('EMPTY_TEXT');
    expect(lines[3].observations[0].code.code).toBe('4548-4');
  });
});
