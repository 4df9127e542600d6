import { describe, expect, it, onTestFinished } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { GroupCommitWriter, type RawOp } from './group-commit.js';
import { WardClerkError } from '../../core/errors.js';

const v = (s: string) => new TextEncoder().encode(s);

async function tempDb(): Promise<Level<string, Uint8Array>> {
  const dir = await mkdtemp(join(tmpdir(), 'wc-gc-'));
  const db = new Level<string, Uint8Array>(dir, { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open();
  onTestFinished(async () => { await db.close(); await rm(dir, { recursive: true, force: true }); });
  return db;
}

describe('GroupCommitWriter', () => {
  it('commits writes of the same tick in one synced batch, each atomically', async () => {
    const db = await tempDb();
    const calls: Array<{ n: number; sync: boolean }> = [];
    const w = new GroupCommitWriter({ batch: (ops, o) => { calls.push({ n: ops.length, sync: o.sync }); return db.batch(ops, o); } });
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.write([
      { type: 'put', key: `a${i}`, value: v(`x${i}`) }, { type: 'put', key: `b${i}`, value: v(`y${i}`) },
    ])));
    expect(calls).toEqual([{ n: 100, sync: true }]);
    expect(w.stats()).toEqual({ batches: 1, writes: 50, ops: 100 });
    expect(new TextDecoder().decode(await db.get('b49'))).toBe('y49');
  });

  it('queues writes that arrive while a batch is in flight and commits them together next', async () => {
    const db = await tempDb();
    const batches: string[][] = [];
    let later: Promise<void>[] = [];
    const w: GroupCommitWriter = new GroupCommitWriter({
      batch: (ops, o) => {
        batches.push(ops.map((op) => op.key));
        // While the first batch is "in flight", three more writers arrive.
        if (batches.length === 1) later = ['b', 'c', 'd'].map((k) => w.write([{ type: 'put', key: k, value: v(k) }]));
        return db.batch(ops, o);
      },
    });
    let firstDone = false;
    await w.write([{ type: 'put', key: 'a', value: v('a') }]).then(() => { firstDone = true; });
    expect(firstDone).toBe(true);
    await Promise.all(later);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('rejects every writer of a failed batch with STORE_UNAVAILABLE and keeps going', async () => {
    const db = await tempDb();
    let fail = true;
    const w = new GroupCommitWriter({ batch: (ops, o) => (fail ? Promise.reject(new Error('disk full')) : db.batch(ops, o)) });
    const results = await Promise.allSettled([w.write([{ type: 'put', key: 'a', value: v('a') }]), w.write([{ type: 'del', key: 'b' }])]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect(((r as PromiseRejectedResult).reason as WardClerkError).code).toBe('STORE_UNAVAILABLE');
    }
    fail = false;
    await w.write([{ type: 'put', key: 'c', value: v('c') }]);
    expect(await db.get('c')).toBeDefined();
  });

  it('close() waits for queued writes and then refuses new ones', async () => {
    const db = await tempDb();
    const w = new GroupCommitWriter({ batch: (ops: RawOp[], o) => db.batch(ops, o) });
    const pending = w.write([{ type: 'put', key: 'k', value: v('1') }]);
    await w.close();
    await pending;
    expect(await db.get('k')).toBeDefined();
    await expect(w.write([{ type: 'put', key: 'z', value: v('1') }])).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
