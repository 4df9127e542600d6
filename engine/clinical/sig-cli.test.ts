import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSig } from './sig-cli.js';

function io(input = '') {
  const stdout = new PassThrough(); const stderr = new PassThrough();
  let out = ''; let err = '';
  stdout.on('data', (c) => { out += c; }); stderr.on('data', (c) => { err += c; });
  return { io: { stdin: Readable.from([input]), stdout, stderr }, out: () => out, err: () => err };
}

describe('wardclerk sig', () => {
  it('prints the Dosage array for one instruction', async () => {
    const t = io();
    expect(await runSig(['1 tab po bid x 7 days'], t.io)).toBe(0);
    const dosage = JSON.parse(t.out());
    expect(dosage[0].timing.code.coding[0].code).toBe('BID');
    expect(dosage[0].timing.repeat.boundsDuration.value).toBe(7);
  });

  it('rejects empty text with exit 1 and no arguments with exit 2', async () => {
    const a = io();
    expect(await runSig(['  '], a.io)).toBe(1);
    expect(a.err()).toMatch(/EMPTY_TEXT/);
    expect(await runSig([], io().io)).toBe(2);
    expect(await runSig(['--bogus'], io().io)).toBe(2);
  });

  it('streams JSONL, reports bad lines and keeps going', async () => {
    const t = io('{"id":"a","text":"2 puffs q4h prn"}\nnot json\n{"id":"c","text":""}\n{"id":"d","text":"qhs"}\n');
    expect(await runSig(['--jsonl'], t.io)).toBe(1);
    const lines = t.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', null, 'c', 'd']);
    expect(lines[0]).toMatchObject({ frequency: 'Q4H', as_needed: true, dose: '2 puffs' });
    expect(lines[1].error.code).toBe('INVALID_JSON');
    expect(lines[2].error.code).toBe('EMPTY_TEXT');
    expect(lines[3].frequency).toBe('QHS');
  });

  it('exits 0 when every JSONL line succeeds', async () => {
    expect(await runSig(['--jsonl'], io('{"id":1,"text":"bid"}\n').io)).toBe(0);
  });
});
