/** What every repository is built from: one open LevelDB and the pieces around it. */
import type { GroupCommitWriter } from './group-commit.js';
import type { Keyring } from './keyring.js';
import type { KeyedLock } from './keyed-lock.js';
import type { Layout } from './layout.js';
import type { Vault } from './vault.js';

export interface StoreContext {
  layout: Layout;
  writer: GroupCommitWriter;
  keyring: Keyring;
  vault: Vault;
  /** Per-job (and other read-modify-write) serialisation. */
  locks: KeyedLock;
}

/** Largest page any list returns. */
export const MAX_PAGE = 100;
