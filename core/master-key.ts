/**
 * The master key (KEK): 32 random bytes in a file only the service user can read. It wraps every
 * data key in the store and derives the JetStream encryption key, so it is created once, written
 * atomically, and refused when the file looks tampered with or is readable by others.
 */
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { KEY_BYTES, deriveKey, randomKey } from './crypto.js';
import { WardClerkError } from './errors.js';

/**
 * The JetStream store's encryption key (nats-server `cipher: chachapoly`), hex, derived from the
 * master key: one definition for the supervisor, the config renderer and the test kit.
 */
export function jetstreamCipherKeyHex(masterKey: Uint8Array): string {
  return Buffer.from(deriveKey(masterKey, 1, 'natsjs__')).toString('hex');
}

/**
 * Reads the master key at `path`, or creates it (32 random bytes, mode 0600, parent directory
 * created 0700 if missing; temp file + fsync + link (an atomic no-clobber rename) + directory fsync, so a crash never leaves a
 * partial key). Throws `WardClerkError('CONFIG_INVALID')` naming the path (never the key) when the
 * file is not exactly 32 bytes, is not a regular file, or its mode grants any group/other access.
 */
export async function loadOrCreateMasterKey(path: string): Promise<Uint8Array> {
  const existing = await readExisting(path);
  if (existing) return existing;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomKey();
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(key);
    await fh.sync();
  } finally {
    await fh.close();
  }
  // The umask cannot widen 0600, but chmod makes the mode explicit regardless of how open() treated it.
  await chmod(tmp, 0o600);
  try {
    // link() is the atomic "rename unless the target exists": if another process created the key
    // meanwhile, keep theirs (overwriting would orphan everything already wrapped with it).
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const raced = await readExisting(path);
    if (raced) return raced;
    throw e;
  } finally {
    await unlink(tmp);
  }
  await fsyncDir(dirname(path));
  return key;
}

async function readExisting(path: string): Promise<Uint8Array | null> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new WardClerkError('CONFIG_INVALID', `master key file ${path} cannot be read`, {
      details: { path, reason: 'unreadable' }, cause: e,
    });
  }
  if (!st.isFile()) {
    throw new WardClerkError('CONFIG_INVALID', `master key file ${path} is not a regular file`, {
      details: { path, reason: 'not_a_file' },
    });
  }
  const mode = st.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new WardClerkError(
      'CONFIG_INVALID',
      `master key file ${path} has mode ${mode.toString(8).padStart(4, '0')}; it must be 0600 or stricter (chmod 600 ${path})`,
      { details: { path, reason: 'mode_too_open', mode: mode.toString(8) } },
    );
  }
  if (st.size !== KEY_BYTES) {
    throw new WardClerkError(
      'CONFIG_INVALID',
      `master key file ${path} is ${st.size} bytes; a master key is exactly ${KEY_BYTES} bytes`,
      { details: { path, reason: 'wrong_size', size: st.size } },
    );
  }
  const buf = await readFile(path);
  if (buf.length !== KEY_BYTES) {
    throw new WardClerkError('CONFIG_INVALID', `master key file ${path} changed while being read`, {
      details: { path, reason: 'wrong_size', size: buf.length },
    });
  }
  return new Uint8Array(buf);
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
