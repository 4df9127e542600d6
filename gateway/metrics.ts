/**
 * Prometheus metrics (prom-client) in a registry per gateway. Labels are route templates, status
 * codes, extractor ids and consumer names — never ids, names or any PHI.
 */
import { Registry, Histogram, Gauge, Counter, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  extractionLatency: Histogram<'extractor'>;
  jetstreamPending: Gauge<'stream' | 'consumer'>;
  /** Credential lockouts imposed, by door (login, client) and scope (ip, account). */
  authLockouts: Counter<'kind' | 'scope'>;
  /** Where a synchronous prescription request spends its time: auth, body, engine, store, event. */
  requestStages: Histogram<'stage'>;
}

export function createMetrics(collectPending: (set: (stream: string, consumer: string, pending: number) => void) => Promise<void>): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wardclerk_' });
  const httpDuration = new Histogram({
    name: 'wardclerk_http_request_duration_seconds',
    help: 'HTTP request latency by route template',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const extractionLatency = new Histogram({
    name: 'wardclerk_extraction_latency_seconds',
    help: 'Extraction latency reported by the engine, by extractor',
    labelNames: ['extractor'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  const jetstreamPending = new Gauge({
    name: 'wardclerk_jetstream_pending_messages',
    help: 'JetStream messages pending (not yet delivered + delivered but unacknowledged) per consumer',
    labelNames: ['stream', 'consumer'] as const,
    registers: [registry],
    async collect() {
      await collectPending((stream, consumer, pending) => this.set({ stream, consumer }, pending));
    },
  });
  const authLockouts = new Counter({
    name: 'wardclerk_auth_lockouts_total',
    help: 'Failed-credential blocks imposed, by door (login, client) and scope (ip, account)',
    labelNames: ['kind', 'scope'] as const,
    registers: [registry],
  });
  const requestStages = new Histogram({
    name: 'wardclerk_request_stage_seconds',
    help: 'Time per stage of POST /api/v1/prescriptions: auth, body (read + parse), engine (extraction over NATS), store (durable commit), event (publish)',
    labelNames: ['stage'] as const,
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
    registers: [registry],
  });
  return { registry, httpDuration, extractionLatency, jetstreamPending, authLockouts, requestStages };
}
