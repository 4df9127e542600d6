/**
 * Engine round-trip overhead: `wc.engine.extract` over NATS to an engine in another process,
 * against the same extraction called in-process, measured in the same run. Reports p50/p99 of
 * both and the per-request overhead (target: under 0.5 ms at p50).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus } from '../../core/bus.js';
import { contracts } from '../../core/contracts.js';
import { createLogger } from '../../core/logger.js';
import { credentialsDirOf } from '../../core/nats-credentials.js';
import { extractClinical } from '../../engine/clinical/extract.js';
import { startNatsServer } from '../../test/nats-server.js';
import { startRole } from '../../test/role-process.js';

const NOTE = 'Amoxicillin 500 mg capsule three times daily for 7 days for otitis media. Dr. Lee';

function pct(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(4));
}

export async function benchEngineRpc(options: { requests?: number } = {}): Promise<Record<string, unknown>> {
  const n = options.requests ?? 2000;
  const dataDir = await mkdtemp(join(tmpdir(), 'wardclerk-rpc-'));
  const nats = await startNatsServer({ jetstream: false, credentialsDir: credentialsDirOf(dataDir) });
  const engine = await startRole('engine', { NATS_URL: nats.url, WARDCLERK_DATA_DIR: dataDir, WARDCLERK_LOG_LEVEL: 'warn' });
  const bus = await connectBus({ url: nats.url, name: 'bench', log: createLogger({ level: 'silent', role: 'bench' }), credentials: nats.credentials!.gateway });
  try {
    const local: number[] = [];
    const remote: number[] = [];
    for (let i = 0; i < 200; i++) {
      extractClinical(NOTE);
      await bus.request(contracts.engineExtract, { tenant_id: 'bench', text: NOTE });
    }
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      extractClinical(NOTE);
      local.push(performance.now() - t);
      t = performance.now();
      await bus.request(contracts.engineExtract, { tenant_id: 'bench', text: NOTE });
      remote.push(performance.now() - t);
    }
    local.sort((a, b) => a - b);
    remote.sort((a, b) => a - b);
    return {
      requests: n,
      in_process_ms: { p50: pct(local, 50), p99: pct(local, 99) },
      over_nats_ms: { p50: pct(remote, 50), p99: pct(remote, 99) },
      overhead_ms_p50: Number((pct(remote, 50) - pct(local, 50)).toFixed(4)),
      ratio_p50: Number((pct(remote, 50) / pct(local, 50)).toFixed(2)),
      target: { overhead_ms_p50_under: 0.5 },
    };
  } finally {
    await bus.close();
    await engine.stop();
    await nats.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
