/**
 * A role on "another host" reaches NATS over TLS: nats-server with a certificate from a test CA
 * (openssl), the real engine process started with NATS_URL=tls://…, the CA in NODE_EXTRA_CA_CERTS
 * and only its own credentials file. It serves requests; a client that will not speak TLS is
 * refused by the server.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts } from '../core/contracts.js';
import { startNatsServer, roleConnectOptions, type NatsServerHandle } from './nats-server.js';
import { startRole, type RoleProcess } from './role-process.js';

let dir: string;
let nats: NatsServerHandle;
let engine: RoleProcess | undefined;
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

/** A CA and a server certificate for 127.0.0.1 signed by it. */
async function makeCertificates(d: string): Promise<{ ca: string; cert: string; key: string }> {
  const f = (n: string) => join(d, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=WardClerk test CA', '-keyout', f('ca.key'), '-out', f('ca.crt'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('nats.key'), '-out', f('nats.csr'));
  await writeFile(f('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', f('nats.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('ext.cnf'), '-out', f('nats.crt'));
  return { ca: f('ca.crt'), cert: f('nats.crt'), key: f('nats.key') };
}

describe.skipIf(!hasOpenssl)('NATS over TLS for roles on other hosts', () => {
  let ca = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wardclerk-tls-'));
    const certs = await makeCertificates(dir);
    ca = certs.ca;
    nats = await startNatsServer({ jetstream: false, tls: { certFile: certs.cert, keyFile: certs.key } });
  }, 60_000);
  afterAll(async () => {
    await engine?.stop();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the engine with tls://, the CA and only its own credentials; plaintext clients are refused', async () => {
    engine = await startRole('engine', {
      NATS_URL: nats.url.replace('nats://', 'tls://'),
      NODE_EXTRA_CA_CERTS: ca,
      WARDCLERK_NATS_CREDENTIALS: nats.credentialsFile('engine'),
      WARDCLERK_DATA_DIR: join(dir, 'engine-host'),
      WARDCLERK_OCR: 'none',
      WARDCLERK_LOG_LEVEL: 'warn',
    }).catch((e: unknown) => {
      throw new Error(`engine: ${(e as { details?: { output?: string } }).details?.output ?? e}`);
    });
    const gateway = nats.credentials!.gateway;
    const nc = await connect({ ...roleConnectOptions(nats.url, gateway), tls: { ca: await readFile(ca, 'utf8') } });
    try {
      const reply = await nc.request(contracts.engineSig.subject, JSON.stringify({ text: '1 tab bid x 5 days' }), { timeout: 10_000 });
      expect(JSON.parse(reply.string())).toMatchObject({ ok: true });
    } finally {
      await nc.close();
    }
    await expect(connect({ ...roleConnectOptions(nats.url, gateway), tls: null, maxReconnectAttempts: 0 })).rejects.toThrow();
  }, 60_000);
});
