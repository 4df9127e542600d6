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

/** Publishes `marker` into a file-backed stream and returns the stored message count. */
async function publishMarker(url: string, marker: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'T', subjects: ['t.>'] });
    await jetstream(nc).publish('t.1', new TextEncoder().encode(marker));
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
    const nc = await connect({ servers: nats.url });
    expect(nc.info?.jetstream).toBe(true);
    await nc.close();
    await nats.stop();
    await expect(stat(nats.storeDir)).rejects.toThrow();
  });

  it('runs without JetStream when asked', async () => {
    const nats = await startNatsServer({ jetstream: false });
    handles.push(nats);
    const nc = await connect({ servers: nats.url });
    expect(nc.info?.jetstream ?? false).toBe(false);
    await nc.close();
  });

  it('stores JetStream messages encrypted at rest when given a key', async () => {
    const nats = await startNatsServer({ cipherKeyHex: KEY });
    handles.push(nats);
    const marker = `MARKER-${Math.random().toString(36).slice(2)}-PLAINTEXT`;
    await publishMarker(nats.url, marker);
    await nats.restart(); // flushes message blocks to disk
    expect((await filesUnder(nats.storeDir)).length).toBeGreaterThan(0);
    expect(await storeContains(nats.storeDir, marker)).toBe(false);
  });

  it('stores the marker in plain text without a key (the check above can fail)', async () => {
    const nats = await startNatsServer();
    handles.push(nats);
    const marker = `MARKER-${Math.random().toString(36).slice(2)}-PLAINTEXT`;
    await publishMarker(nats.url, marker);
    await nats.restart();
    expect(await storeContains(nats.storeDir, marker)).toBe(true);
  });

  it('keeps stream data across kill9() and restart() on the same port', async () => {
    const nats = await startNatsServer({ cipherKeyHex: KEY });
    handles.push(nats);
    await publishMarker(nats.url, 'x');
    const port = nats.port;
    await nats.kill9();
    await nats.restart();
    expect(nats.port).toBe(port);
    const nc = await connect({ servers: nats.url });
    const info = await (await jetstreamManager(nc)).streams.info('T');
    expect(info.state.messages).toBe(1);
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
