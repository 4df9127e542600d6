/**
 * The gateway's composition root: wiring only. Opens the encrypted store (the only process that
 * does), connects NATS, ensures streams, bootstraps the operator and signing keys, serves the
 * store subjects for workers, and listens for HTTP and WebSocket clients.
 */
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { connectBus } from '../core/bus.js';
import type { Config } from '../core/config.js';
import { STREAMS, contracts } from '../core/contracts.js';
import { initCrypto } from '../core/crypto.js';
import { WardClerkError } from '../core/errors.js';
import { ensureStreams } from '../core/jetstream-setup.js';
import { resolveRoleCredentials } from '../core/nats-credentials.js';
import { createLogger, type Logger } from '../core/logger.js';
import { loadOrCreateMasterKey } from '../core/master-key.js';
import { announceReady, type RoleHandle } from '../core/role.js';
import { ensureOperator } from './auth/operator-bootstrap.js';
import { SessionGate, withSessionGate } from './auth/session-gate.js';
import { SessionKeys } from './auth/session-keys.js';
import { startSessionSweep } from './auth/session-sweep.js';
import { createTokenService } from './auth/token-service.js';
import { withVerifyCache } from './auth/verify-cache.js';
import { serveStore } from './bus-service/store-service.js';
import { requeueNotes, startNoteRequeue } from './care-plans/note-queue.js';
import { serveNoteSubjects } from './care-plans/store-subjects.js';
import { requeueDocuments, startDocumentRequeue } from './documents/document-queue.js';
import { serveDocumentSubjects } from './documents/store-subjects.js';
import { webhookStoreSettings } from './webhooks/settings.js';
import { createEventPublisher } from './events/publisher.js';
import { createItemEnqueuer } from './jobs/enqueue.js';
import { createApp } from './http/app.js';
import type { GatewayDeps } from './http/deps.js';
import { createMetrics } from './metrics.js';
import { registerProcessMetrics } from './health/supervisor-state.js';
import { openStore } from './store/store.js';
import { careTeamOf } from './people/access.js';
import type { Clock } from './scheduler/clock.js';
import { dueReminderEvents } from './scheduler/due-catch-up.js';
import { createScheduler } from './scheduler/scheduler.js';
import { PatientIndexes } from './search/patient-indexes.js';
import { RefreshQueue } from './refresh/refresh-queue.js';
import { createConceptEmbedder } from '../engine/providers/concept-embedder.js';
import { attachWsHub } from './ws/hub.js';
import { warmExtractiveAnswerer } from '../engine/chat/answer/extractive-answer.js';
import { guardHttpServer, httpServerOptions, watchBusStatus } from './server-guards.js';

export interface RunGatewayOptions {
  /** Defaults to a pino logger at config.logLevel on stdout; tests pass one that captures lines. */
  log?: Logger;
  /** The sweep of expired sessions: tests inject a clock and a short interval. */
  sessionSweep?: { now?: () => Date; intervalMs?: number };
  /** The scheduler's clock (reminders, nags, plan starts); tests inject a ManualClock to run days in moments. */
  clock?: Clock;
}

export async function runGateway(config: Config, options: RunGatewayOptions = {}): Promise<RoleHandle> {
  const log = options.log ?? createLogger({ level: config.logLevel, role: 'gateway' });
  if (!config.natsUrl) throw new WardClerkError('CONFIG_INVALID', 'NATS_URL is required to run the gateway alone (npm start sets it)', { details: { variable: 'NATS_URL' } });
  await initCrypto();
  const masterKey = await loadOrCreateMasterKey(config.masterKeyFile);
  const store = await openStore({ dir: join(config.dataDir, 'store'), masterKey });
  const bus = await connectBus({ url: config.natsUrl, name: 'wardclerk-gateway', log, credentials: await resolveRoleCredentials(config, 'gateway') });
  await ensureStreams(bus.jsm, config);

  // A person's token is admitted only while its session is live (checked on every request, cached
  // in memory and forgotten when the store revokes it); signatures are verified once per token.
  const sessionGate = new SessionGate(store);
  const tokens = withSessionGate(withVerifyCache(await createTokenService({ store, config })), sessionGate);
  const operator = await ensureOperator({ store, config, log });
  const events = createEventPublisher(bus.js, log, { outbox: store.outbox });
  // Events a crash left in the outbox (committed, not yet published) go out now.
  await events.drainOutbox().catch((e: unknown) => log.warn({ err: { type: (e as Error)?.name } }, 'outbox not drained at start; the sweep retries'));
  const metrics = createMetrics(async (set) => {
    for (const s of [STREAMS.items, STREAMS.events, STREAMS.deliveries, STREAMS.notes, STREAMS.docs]) {
      const info = await bus.jsm.consumers.info(s.name, s.consumer).catch(() => null);
      if (info) set(s.name, s.consumer, info.num_pending + info.num_ack_pending);
    }
  });
  registerProcessMetrics(metrics.registry, config.dataDir);
  serveStore({ bus, store, events, log, webhooks: { settings: webhookStoreSettings(config), registry: metrics.registry } });

  const sessionKeys = new SessionKeys();
  const scheduler = createScheduler({
    repo: store.reminders, events, log, settings: store.settings, careTeam: (tenantId, patientId) => careTeamOf({ store }, tenantId, patientId),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // The notes pipeline settles through the store, with the scheduler's reminder ops in the same batch.
  // The documents pipeline (issue 9) stores each step's result through the gateway.
  // Patients' search indexes live in memory only; the pipeline's INDEXED step and deletions update
  // loaded ones in place. Questions are embedded in the worker's space (the in-process concept
  // embedder, as worker/document-index.ts uses for chunks).
  const searchIndexes = new PatientIndexes({ documents: store.documents, embedder: createConceptEmbedder(), budgetBytes: config.indexBudgetBytes, log });
  // RAG refreshes (issue 9) run one at a time per patient; a document INDEXED or a note settled triggers one.
  const refresh = new RefreshQueue({ store, log, searchIndexes });
  serveNoteSubjects({ bus, store, events, log, scheduler, now: () => scheduler.ctx.clock.now(), refresh });
  serveDocumentSubjects({ bus, store, events, log, searchIndexes, refresh });
  // Documents a crash left stored but not queued are queued now, and older ones on a timer.
  const documentQueue = { store, js: bus.js, log };
  await requeueDocuments(documentQueue).catch((e: unknown) => log.warn({ err: { type: (e as Error)?.name } }, 'documents not re-queued at start; the timer retries'));
  const documentRequeue = startDocumentRequeue(documentQueue);
  // Notes a crash left stored but not queued are queued now (before any request can be queuing
  // one), and older ones on a timer should this pass fail.
  const noteQueue = { store, js: bus.js, log };
  await requeueNotes(noteQueue).catch((e: unknown) => log.warn({ err: { type: (e as Error)?.name } }, 'notes not re-queued at start; the timer retries'));
  const noteRequeue = startNoteRequeue(noteQueue);
  const deps: GatewayDeps = {
    config, log, store, bus, tokens, metrics, events, scheduler,
    extract: (tenantId, text, options) =>
      bus.request(contracts.engineExtract, { tenant_id: tenantId, text, ...(options?.ocrConfidence === undefined ? {} : { ocr_confidence: options.ocrConfidence }) }, { timeoutMs: config.engineTimeoutMs }),
    enqueueItems: createItemEnqueuer(bus.js),
    sessionKeys, searchIndexes, refresh,
  };
  const app = createApp(deps);
  // The chat answerer's vocabularies load now, not during the first patient's question (~0.5 s).
  warmExtractiveAnswerer();
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: httpServerOptions(config.httpHeadersTimeoutMs) }, () => resolve(s as Server));
    s.once('error', reject); // e.g. EADDRINUSE: a clear startup failure, not an uncaught 'error'
  });
  guardHttpServer(server as Server, log);
  watchBusStatus(bus.nc, log);
  scheduler.start();
  const sessionSweep = startSessionSweep({ store, log, ...options.sessionSweep });
  const hub = attachWsHub(server, {
    tokens, nc: bus.nc, log, generate: { idleTimeoutMs: config.engineTimeoutMs }, sessionEnded: (listener) => sessionGate.onEnded(listener),
    catchUp: (tenantId, userId) => dueReminderEvents({ store, clock: scheduler.ctx.clock }, tenantId, userId),
  });
  const port = (server.address() as AddressInfo).port;
  const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  log.info({ port, operator_password_file: operator.passwordFile }, 'ready');
  announceReady('gateway', url);

  return {
    url,
    async close() {
      await scheduler.close();
      await noteRequeue.close();
      await documentRequeue.close();
      await sessionSweep.close();
      await hub.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections?.();
      });
      await refresh.close();
      await events.close();
      await bus.close();
      await store.close();
      sessionGate.close();
      sessionKeys.clear();
    },
  };
}
