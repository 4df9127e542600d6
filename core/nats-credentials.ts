/**
 * Per-role NATS credentials. Each role (gateway, engine, worker) has its own NATS user, an NKey:
 * the role holds the private seed in `<data>/nats-credentials/<role>.json` (0600) and proves it by
 * signing the server's nonce, so the secret never crosses the wire and the server config holds
 * only public keys. Generated once at first start; a second host gets a role's file by copying it
 * (mode 0600) and pointing WARDCLERK_NATS_CREDENTIALS at it (see README, "Running roles on other hosts").
 */
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { nkeys } from '@nats-io/nats-core';
import { z } from 'zod';
import { WardClerkError } from './errors.js';

/** The roles that connect to NATS, each as its own user. */
export const NATS_ROLES = ['gateway', 'engine', 'worker'] as const;
export type NatsRole = (typeof NATS_ROLES)[number];

/** A role's credentials, ready for connectBus. The seed is secret: never log this object. */
export interface NatsCredentials {
  role: NatsRole;
  /** NKey user seed (`SU…`). */
  seed: string;
  /** The user's public key (`U…`), as the server config names it. */
  publicKey: string;
  /** Where this role's request replies arrive; its subscribe permission covers only `<prefix>.>`. */
  inboxPrefix: string;
}

const FileSchema = z.object({
  role: z.enum(NATS_ROLES),
  nkey_seed: z.string().regex(/^SU[A-Z2-7]{56}$/),
});

/** Each role's reply inboxes live under their own prefix so permissions can keep them apart. */
export const inboxPrefixOf = (role: NatsRole): string => `_INBOX_${role}`;

/** The directory under the data dir that holds the credential files. */
export const credentialsDirOf = (dataDir: string): string => join(dataDir, 'nats-credentials');

/** The default credentials file of `role` under a data dir. */
export const credentialsFileOf = (dataDir: string, role: NatsRole): string => join(credentialsDirOf(dataDir), `${role}.json`);

function fromSeed(role: NatsRole, seed: string): NatsCredentials {
  const publicKey = nkeys.fromSeed(new TextEncoder().encode(seed)).getPublicKey();
  return { role, seed, publicKey, inboxPrefix: inboxPrefixOf(role) };
}

const invalid = (file: string, reason: string, message: string) =>
  new WardClerkError('CONFIG_INVALID', message, { details: { variable: 'WARDCLERK_NATS_CREDENTIALS', file, reason } });

/**
 * Reads a role's credentials file. Refuses one that others can read (it must be 0600 or
 * stricter), a malformed one, and — when `expectedRole` is given — another role's file.
 * Errors name the file and the reason, never its contents.
 */
export async function readNatsCredentials(file: string, expectedRole?: NatsRole): Promise<NatsCredentials> {
  let text: string;
  try {
    const st = await stat(file);
    if ((st.mode & 0o077) !== 0) {
      throw invalid(file, 'too_open', `NATS credentials file ${file} is readable by other users: run chmod 600 on it`);
    }
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof WardClerkError) throw e;
    throw invalid(file, 'unreadable', `NATS credentials file ${file} cannot be read: copy the role's file from the NATS host's data dir (nats-credentials/<role>.json)`);
  }
  let parsed: z.infer<typeof FileSchema>;
  try {
    parsed = FileSchema.parse(JSON.parse(text));
  } catch {
    throw invalid(file, 'malformed', `NATS credentials file ${file} is not a WardClerk credentials file`);
  }
  if (expectedRole && parsed.role !== expectedRole) {
    throw invalid(file, 'wrong_role', `NATS credentials file ${file} belongs to the ${parsed.role}; the ${expectedRole} needs its own (${expectedRole}.json)`);
  }
  return fromSeed(parsed.role, parsed.nkey_seed);
}

/** Writes a file 0600 atomically (temp file + rename), never leaving a readable partial copy. */
async function writeSecretFile(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

/**
 * Returns every role's credentials from `dir`, generating a fresh NKey for each role whose file
 * is missing (the directory is created 0700, files 0600). Existing files are kept, so restarts
 * and copies on other hosts stay valid.
 */
export async function ensureNatsCredentials(dir: string): Promise<Record<NatsRole, NatsCredentials>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const out = {} as Record<NatsRole, NatsCredentials>;
  for (const role of NATS_ROLES) {
    const file = join(dir, `${role}.json`);
    const exists = await stat(file).then(() => true, () => false);
    if (!exists) {
      const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
      await writeSecretFile(file, `${JSON.stringify({ role, nkey_seed: seed }, null, 2)}\n`);
    }
    out[role] = await readNatsCredentials(file, role);
  }
  return out;
}

/**
 * The credentials a role process uses: the file named by WARDCLERK_NATS_CREDENTIALS, else the
 * role's file under the data dir when it exists, else none (a server without authorization).
 */
export async function resolveRoleCredentials(config: { natsCredentialsFile: string | undefined; dataDir: string }, role: NatsRole): Promise<NatsCredentials | undefined> {
  if (config.natsCredentialsFile) return readNatsCredentials(config.natsCredentialsFile, role);
  const fallback = credentialsFileOf(config.dataDir, role);
  const exists = await stat(fallback).then(() => true, () => false);
  return exists ? readNatsCredentials(fallback, role) : undefined;
}
