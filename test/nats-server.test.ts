import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../scripts/supervisor/process-group.js';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';

const KEY = 'a1'.repeat(32);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

async function storeContains(dir: string, marker: string): Promise<boolean> {
  for (const file of await filesUnder(dir)) {
    if ((await readFile(file)).includes(Buffer.from(marker))) return true;
  }
  return false;
}

/** Publishes `marker` into a file-backed stream, as the worker (which may write WardClerk's dead-letter stream). */
async function publishMarker(nats: NatsServerHandle, marker: string): Promise<void> {
  const nc = await connect(nats.connectOptions('worker'));
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'WC_DEAD', subjects: ['wc.dead.>'] });
    await jetstream(nc).publish('wc.dead.t', new TextEncoder().encode(marker));
  } finally {
    await nc.close();
  }
}

describe('startNatsServer', () => {
  const handles: NatsServerHandle[] = [];
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.stop()));
  });

  it('starts a server that accepts connections on a random port, and stop() removes its temp dir', async () => {
    const nats = await startNatsServer();
    handles.push(nats);
    expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
    const nc = await connect(nats.connectOptions('gateway'));
    expect(nc.info?.jetstream).toBe(true);
    await nc.close();
    await nats.stop();
    await expect(stat(nats.storeDir)).rejects.toThrow();
  });

  it('runs without JetStream when asked', async () => {
    const nats = await startNatsServer({ jetstream: false });
    handles.push(nats);
    const nc = await connect(nats.connectOptions('engine'));
    expect(nc.info?.jetstream ?? false).toBe(false);
    await nc.close();
  });

  it('stores JetStream messages encrypted at rest when given a key', async () => {
    const nats = await startNatsServer({ cipherKeyHex: KEY });
    handles.push(nats);
    const marker = `MARKER-${Math.random().toString(36).slice(2)}-PLAINTEXT`;
    await publishMarker(nats, marker);
    await nats.restart(); // flushes message blocks to disk
    expect((await filesUnder(nats.storeDir)).length).toBeGreaterThan(0);
    expect(await storeContains(nats.storeDir, marker)).toBe(false);
  });

  it('stores the marker in plain text without a key (the check above can fail)', async () => {
    const nats = await startNatsServer();
    handles.push(nats);
    const marker = `MARKER-${Math.random().toString(36).slice(2)}-PLAINTEXT`;
    await publishMarker(nats, marker);
    await nats.restart();
    expect(await storeContains(nats.storeDir, marker)).toBe(true);
  });

  it('keeps stream data across kill9() and restart() on the same port', async () => {
    const nats = await startNatsServer({ cipherKeyHex: KEY });
    handles.push(nats);
    await publishMarker(nats, 'x');
    const port = nats.port;
    await nats.kill9();
    await nats.restart();
    expect(nats.port).toBe(port);
    const nc = await connect(nats.connectOptions('worker'));
    const info = await (await jetstreamManager(nc)).streams.info('WC_DEAD');
    expect(info.state.messages).toBe(1);
    await nc.close();
  });

  it('runs with per-role users by default: no anonymous client; auth: false opens it', async () => {
    const nats = await startNatsServer({ jetstream: false });
    handles.push(nats);
    await expect(connect({ servers: nats.url, maxReconnectAttempts: 0 })).rejects.toThrow(/authorization/i);
    expect((await stat(nats.credentialsFile('engine'))).mode & 0o777).toBe(0o600);
    const open = await startNatsServer({ jetstream: false, auth: false });
    handles.push(open);
    expect(open.credentials).toBeNull();
    const nc = await connect({ servers: open.url });
    await nc.close();
  });

  it('supports await using', async () => {
    let pid = 0;
    let storeDir = '';
    {
      await using nats = await startNatsServer();
      pid = nats.pid;
      storeDir = nats.storeDir;
      expect(isAlive(pid)).toBe(true);
    }
    expect(isAlive(pid)).toBe(false);
    await expect(stat(storeDir)).rejects.toThrow();
  });
});
