import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NATS_ROLES, credentialsFileOf, ensureNatsCredentials, inboxPrefixOf, resolveRoleCredentials } from './nats-credentials.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wardclerk-creds-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ensureNatsCredentials', () => {
  it('generates one distinct NKey per role, 0600 in a 0700 dir, and keeps them on the next start', async () => {
    const credsDir = join(dir, 'nats-credentials');
    const first = await ensureNatsCredentials(credsDir);
    expect((await stat(credsDir)).mode & 0o777).toBe(0o700);
    const seeds = new Set<string>();
    for (const role of NATS_ROLES) {
      const c = first[role];
      expect(c.role).toBe(role);
      expect(c.seed).toMatch(/^SU[A-Z2-7]{56}$/);
      expect(c.publicKey).toMatch(/^U[A-Z2-7]{55}$/);
      expect(c.inboxPrefix).toBe(inboxPrefixOf(role));
      seeds.add(c.seed);
      const file = join(credsDir, `${role}.json`);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ role, nkey_seed: c.seed });
    }
    expect(seeds.size).toBe(3);
    const second = await ensureNatsCredentials(credsDir);
    expect(second).toEqual(first);
  });
});

describe('resolveRoleCredentials', () => {
  it('uses WARDCLERK_NATS_CREDENTIALS, else the data dir file, else none', async () => {
    expect(await resolveRoleCredentials({ natsCredentialsFile: undefined, dataDir: dir }, 'engine')).toBeUndefined();
    const all = await ensureNatsCredentials(join(dir, 'nats-credentials'));
    expect(await resolveRoleCredentials({ natsCredentialsFile: undefined, dataDir: dir }, 'engine')).toEqual(all.engine);
    const explicit = await resolveRoleCredentials({ natsCredentialsFile: credentialsFileOf(dir, 'worker'), dataDir: '/nonexistent' }, 'worker');
    expect(explicit).toEqual(all.worker);
    await expect(resolveRoleCredentials({ natsCredentialsFile: join(dir, 'missing.json'), dataDir: dir }, 'worker')).rejects.toMatchObject({
      code: 'CONFIG_INVALID', details: { variable: 'WARDCLERK_NATS_CREDENTIALS', reason: 'unreadable' },
    });
  });
});
