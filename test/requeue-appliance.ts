/**
 * The appliance for the re-queue suites (a record stored but its job never queued): started in this
 * process without its gateway, its store seeded (care-plan-seed.ts), with a bus connection as the
 * gateway's NATS user to publish jobs as the gateway would and read the streams. The store can be
 * opened directly while the gateway is stopped (LevelDB takes a process lock).
 */
import { join } from 'node:path';
import { connectBus, type Bus } from '../core/bus.js';
import { createLogger } from '../core/logger.js';
import { loadOrCreateMasterKey } from '../core/master-key.js';
import { openStore, type Store } from '../gateway/store/store.js';
import { startAppliance, type Appliance } from './appliance.js';
import { seedCare, type CareSeed } from './care-plan-seed.js';

export interface RequeueAppliance {
  app: Appliance;
  seed: CareSeed;
  /** Connected as the gateway's NATS user. */
  bus: Bus;
  /** The appliance's store, opened here (the gateway must be stopped); the caller closes it. */
  openStore(): Promise<Store>;
  /** Messages ever stored on stream `stream` (work-queue retention deletes them once acked). */
  storedOn(stream: string): Promise<number>;
  /** Closes the bus connection, then the appliance. */
  close(): Promise<void>;
}

/** Starts the appliance without its gateway and seeds it; `busName` names the test's NATS connection. */
export async function startRequeueAppliance(busName: string): Promise<RequeueAppliance> {
  const app = await startAppliance({ without: ['gateway'] });
  try {
    const seed = await seedCare(app.dataDir, app.config);
    const bus = await connectBus({ url: app.nats.url, name: busName, log: createLogger({ level: 'silent', role: 'test' }), credentials: app.nats.credentials!.gateway });
    return {
      app, seed, bus,
      openStore: async () => openStore({ dir: join(app.dataDir, 'store'), masterKey: await loadOrCreateMasterKey(join(app.dataDir, 'master.key')) }),
      storedOn: async (stream) => (await bus.jsm.streams.info(stream)).state.last_seq,
      async close() {
        await bus.close();
        await app.close();
      },
    };
  } catch (e) {
    await app.close();
    throw e;
  }
}
