/**
 * Writes a nats-server config with WardClerk's settings for a nats-server run by systemd or a
 * container instead of the supervisor (deploy/): JetStream, encryption at rest with the key
 * derived from the master key, `sync_interval: always` when the installed server accepts it, and
 * one NKey user per role (public keys only; each role's seed is generated, 0600, into
 * <data>/nats-credentials/<role>.json on first use: copy a role's file to the host that runs it).
 *
 *   node bin/run-ts.js scripts/supervisor/render-nats-config.ts <out-file> [--host H] [--port P] [--store-dir D] [--tls-cert C --tls-key K]
 *
 * Reads WARDCLERK_DATA_DIR / WARDCLERK_MASTER_KEY_FILE like every role (creating the master key
 * on first use). Defaults: host 127.0.0.1, port 4222, store <data>/nats. The file is written 0600.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { natsUsersFor } from '../../core/bus-permissions.js';
import { loadConfig } from '../../core/config.js';
import { credentialsDirOf, ensureNatsCredentials } from '../../core/nats-credentials.js';
import { initCrypto } from '../../core/crypto.js';
import { loadOrCreateMasterKey, jetstreamCipherKeyHex } from '../../core/master-key.js';
import { findNatsServer } from '../setup/find-nats-server.js';
import { renderNatsConfig, supportsSyncInterval } from './nats-config.js';

/** Renders the config text for the current environment (exported for the test). */
export async function renderDeployedNatsConfig(
  env: NodeJS.ProcessEnv,
  o: { host: string; port: number; storeDir?: string; tls?: { certFile: string; keyFile: string } },
): Promise<string> {
  const config = loadConfig(env);
  await initCrypto();
  const master = await loadOrCreateMasterKey(config.masterKeyFile);
  const cipherKeyHex = jetstreamCipherKeyHex(master);
  master.fill(0);
  const binary = findNatsServer(env);
  return renderNatsConfig({
    host: o.host,
    port: o.port,
    storeDir: o.storeDir ?? join(config.dataDir, 'nats'),
    cipherKeyHex,
    syncAlways: binary ? await supportsSyncInterval(binary) : false,
    users: natsUsersFor(await ensureNatsCredentials(credentialsDirOf(config.dataDir))),
    ...(o.tls ? { tls: o.tls } : {}),
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '4222' }, 'store-dir': { type: 'string' },
      'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' },
    },
  });
  const out = positionals[0];
  const port = Number(values.port);
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (!out || !Number.isInteger(port) || port < 1 || port > 65535 || (certFile === undefined) !== (keyFile === undefined)) {
    process.stderr.write('usage: render-nats-config.ts <out-file> [--host H] [--port P] [--store-dir D] [--tls-cert CERT --tls-key KEY]\n');
    return 2;
  }
  const tls = certFile && keyFile ? { certFile: resolve(certFile), keyFile: resolve(keyFile) } : undefined;
  const text = await renderDeployedNatsConfig(process.env, { host: values.host, port, storeDir: values['store-dir'], ...(tls ? { tls } : {}) });
  await mkdir(dirname(resolve(out)), { recursive: true, mode: 0o700 });
  await writeFile(out, text, { mode: 0o600 });
  await chmod(out, 0o600);
  return 0;
}

// Run as a script, not when imported (tests import renderDeployedNatsConfig).
if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) process.exitCode = await main();
