/**
 * The supervisor's own nats-server: config and JetStream store under <data>/nats, encryption at
 * rest with a key derived from the master key, a free port on 127.0.0.1 chosen once and kept
 * across restarts (so children reconnect to the same URL), a pid file for stale cleanup, and one
 * NKey user per role (generated into <data>/nats-credentials/ on first start) with only the
 * subjects that role needs: no client connects without credentials.
 */
import { join } from 'node:path';
import { natsUsersFor } from '../../core/bus-permissions.js';
import type { Logger } from '../../core/logger.js';
import { credentialsDirOf, ensureNatsCredentials } from '../../core/nats-credentials.js';
import { findFreePort } from './free-port.js';
import { launchNatsServer, type NatsProcess } from './nats-process.js';
import { writePidFile } from './pid-file.js';

export interface SupervisedNatsOptions {
  dataDir: string;
  cipherKeyHex: string;
  pidFile: string;
  logger: Logger;
  /** Reuse this port (a restart); otherwise a free one is found, retrying if taken meanwhile. */
  port?: number;
}

/** nats-server log lines look like `[pid] date [WRN] text`; only warnings and errors are relayed. */
function relay(logger: Logger): (line: string) => void {
  return (line) => {
    const level = /\[(WRN|ERR|FTL)\]/.exec(line)?.[1];
    if (level === 'WRN') logger.warn({ nats: line }, 'nats-server warning');
    else if (level) logger.error({ nats: line }, 'nats-server error');
  };
}

/** Starts (or restarts) the supervised nats-server and records its pid. */
export async function startSupervisedNats(options: SupervisedNatsOptions): Promise<NatsProcess> {
  const dir = join(options.dataDir, 'nats');
  // Re-read on every (re)start: a credentials file replaced by an operator takes effect here.
  const users = natsUsersFor(await ensureNatsCredentials(credentialsDirOf(options.dataDir)));
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await findFreePort('127.0.0.1'));
    try {
      const nats = await launchNatsServer({
        configDir: dir,
        storeDir: dir,
        host: '127.0.0.1',
        port,
        cipherKeyHex: options.cipherKeyHex,
        users,
        onLog: relay(options.logger),
      });
      await writePidFile(options.pidFile, nats.pid, nats.argv);
      return nats;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
