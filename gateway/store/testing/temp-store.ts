/**
 * Test fixture: a real store in a fresh temp directory. `reopen()` closes and opens it again with
 * the same master key (durability checks); disposing closes it and deletes the directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomKey } from '../../../core/crypto.js';
import { openStore, type Store } from '../store.js';

export interface TempStore extends AsyncDisposable {
  dir: string;
  masterKey: Uint8Array;
  store: Store;
  /** Closes the current store and opens the same directory again (the new one becomes `store`). */
  reopen(): Promise<Store>;
}

export async function tempStore(): Promise<TempStore> {
  const root = await mkdtemp(join(tmpdir(), 'wc-store-'));
  const dir = join(root, 'db');
  const masterKey = randomKey();
  const t: TempStore = {
    dir,
    masterKey,
    store: await openStore({ dir, masterKey }),
    async reopen() {
      await t.store.close();
      t.store = await openStore({ dir, masterKey });
      return t.store;
    },
    async [Symbol.asyncDispose]() {
      await t.store.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return t;
}
