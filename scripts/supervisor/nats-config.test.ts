import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNatsServer } from '../setup/find-nats-server.js';
import { renderNatsConfig, supportsSyncInterval } from './nats-config.js';
import { natsUsersFor } from '../../core/bus-permissions.js';
import { NATS_ROLES, ensureNatsCredentials } from '../../core/nats-credentials.js';

const binary = findNatsServer();
const KEY = '0f'.repeat(32);

/** Asks the real nats-server whether it accepts a config (`-t`). */
function accepted(dir: string, text: string): Promise<{ ok: boolean; output: string }> {
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.conf`);
  return writeFile(file, text).then(
    () => new Promise((resolve) => execFile(binary!, ['-t', '-c', file], (error, stdout, stderr) => resolve({ ok: !error, output: stdout + stderr }))),
  );
}

describe.skipIf(!binary)('nats config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardclerk-natsconf-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders a config the installed nats-server accepts, with encryption and no monitoring port', async () => {
    const syncAlways = await supportsSyncInterval(binary!);
    const text = renderNatsConfig({ host: '127.0.0.1', port: 4222, storeDir: join(dir, 'js'), cipherKeyHex: KEY, syncAlways });
    expect(text).toContain('cipher: chachapoly');
    expect(text).toContain(`key: "${KEY}"`);
    expect(text).not.toMatch(/http/);
    expect(text.includes('sync_interval: always')).toBe(syncAlways);
    expect(await accepted(dir, text)).toMatchObject({ ok: true });
  });

  it('the sync_interval probe agrees with the binary', async () => {
    const withSync = renderNatsConfig({ host: '127.0.0.1', port: 4222, storeDir: join(dir, 'js'), syncAlways: true });
    const result = await accepted(dir, withSync);
    expect(await supportsSyncInterval(binary!)).toBe(result.ok);
    if (!result.ok) expect(result.output).toContain('sync_interval');
  });

  it('renders the per-role NKey users and permissions so that the installed nats-server accepts them', async () => {
    const credentials = await ensureNatsCredentials(join(dir, 'creds'));
    const text = renderNatsConfig({ host: '127.0.0.1', port: 4222, storeDir: join(dir, 'js'), syncAlways: false, users: natsUsersFor(credentials) });
    expect(text).toContain('authorization {');
    for (const role of NATS_ROLES) {
      expect(text).toContain(`nkey: "${credentials[role].publicKey}"`);
      expect(text).not.toContain(credentials[role].seed); // public keys only
    }
    expect(text).toContain('"$JS.API.CONSUMER.MSG.NEXT.WC_ITEMS.items"');
    expect(await accepted(dir, text)).toMatchObject({ ok: true });
    expect(() => renderNatsConfig({ host: '127.0.0.1', port: 1, syncAlways: false, users: [{ nkey: credentials.engine.seed, permissions: natsUsersFor(credentials)[0]!.permissions }] })).toThrow(/public/);
  });

  it('quotes paths safely and rejects a malformed key', () => {
    const text = renderNatsConfig({ host: '127.0.0.1', port: 1, storeDir: '/tmp/a "b"', syncAlways: false });
    expect(text).toContain('store_dir: "/tmp/a \\"b\\""');
    expect(() => renderNatsConfig({ host: '127.0.0.1', port: 1, storeDir: '/x', cipherKeyHex: 'abc', syncAlways: false })).toThrow(/64/);
  });
});
