/** Everything the gateway's HTTP layer needs, built once in gateway/main.ts and passed down. */
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import type { Bus } from '../../core/bus.js';
import type { Store } from '../store/store.js';
import type { TokenService } from '../auth/token-service.js';
import type { SessionKeys } from '../auth/session-keys.js';
import type { KdfCost } from '../auth/password-kdf.js';
import type { GatewayMetrics } from '../metrics.js';
import type { EventPublisher } from '../events/publisher.js';
import type { Extractor } from './extract-port.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { PatientIndexes } from '../search/patient-indexes.js';
import type { RefreshQueue } from '../refresh/refresh-queue.js';

export interface GatewayDeps {
  config: Config;
  log: Logger;
  store: Store;
  bus: Bus;
  tokens: TokenService;
  metrics: GatewayMetrics;
  events: EventPublisher;
  /** Runs an extraction on an engine (over NATS). */
  extract: Extractor;
  /** Publishes a batch job's work messages (one per chunk of items) to JetStream. */
  enqueueItems(tenantId: string, jobId: string, chunks: Array<{ index: number; count: number }>): Promise<void>;
  /** Reminders (issue 8): plan ops for the care-plans batches, the dispatcher, check-ins. */
  scheduler: Scheduler;
  /** Signed-in users' unsealed private keys, in memory only (gateway/auth/session-keys.ts). */
  sessionKeys: SessionKeys;
  /** Per-patient search indexes in memory (gateway/search), kept current by the documents pipeline. */
  searchIndexes: PatientIndexes;
  /** RAG refreshes, one at a time per patient (gateway/refresh), triggered by the API and the pipelines. */
  refresh: RefreshQueue;
  /** Argon2id cost of people's passwords and sealed keys; absent = production. Tests only may lower it. */
  passwordCost?: KdfCost;
}
