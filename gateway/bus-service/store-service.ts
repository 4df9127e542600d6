/**
 * The gateway answers workers' `wc.store.*` requests: it is the only process that opens LevelDB.
 * Completing a batch item is idempotent in the store; the gateway emits the events that follow.
 */
import type { Bus } from '../../core/bus.js';
import { contracts } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { ExtractionSchema, type Extraction } from '../../core/clinical/extraction.js';
import { createJobProgress } from '../events/job-progress.js';
import type { EventPublisher } from '../events/publisher.js';
import type { Store } from '../store/store.js';
import { loadConfig } from '../../core/config.js';
import { webhookStoreSettings } from '../webhooks/settings.js';
import { serveWebhookSubjects, type WebhookSubjectOptions } from '../webhooks/store-subjects.js';

export interface StoreServiceDeps {
  bus: Bus;
  store: Store;
  events: EventPublisher;
  log: Logger;
  /** Webhook delivery limits (gateway/webhooks/settings.ts) and the metrics registry. */
  webhooks?: WebhookSubjectOptions;
}

const DEFAULT_WEBHOOK_SETTINGS = webhookStoreSettings(loadConfig({}));

/** Subscribes the store subjects (queue group `gateway`, so several gateways could share a store later). */
export function serveStore({ bus, store, events, log, webhooks }: StoreServiceDeps): void {
  const opts = { queue: 'gateway' };
  const progress = createJobProgress(events, log);

  const jobCompleted = async (tenantId: string, jobId: string) => {
    const job = await store.jobs.get(tenantId, jobId);
    if (!job) return;
    await events.publish(tenantId, 'job.completed', {
      job_id: jobId, status: job.status, total: job.total, completed: job.completed, failed: job.failed,
    }, `job.completed.${jobId}`);
  };

  bus.serve(contracts.jobItemGet, async ({ tenant_id, job_id, index }) => {
    const item = await store.jobs.getItem(tenant_id, job_id, index);
    if (!item) throw new WardClerkError('NOT_FOUND', 'No such job item');
    return { index: item.index, text: item.text, patient_ref: item.patient_ref, external_id: item.external_id, state: item.state, prescription_id: item.prescription_id };
  }, opts);

  bus.serve(contracts.jobItemComplete, async ({ tenant_id, job_id, index, extraction }) => {
    const out = await store.jobs.completeItem(tenant_id, job_id, index, extraction);
    if (out.created) {
      await events.publish(tenant_id, 'prescription.extracted', { prescription_id: out.prescription.prescription_id, job_id }, `rx.${out.prescription.prescription_id}`);
    }
    if (out.jobDone) await jobCompleted(tenant_id, job_id);
    return { prescription_id: out.prescription.prescription_id, created: out.created, job_done: out.jobDone };
  }, opts);

  bus.serve(contracts.jobItemsGet, async ({ tenant_id, job_id, index, count }) => {
    const items = await store.jobs.getItems(tenant_id, job_id, index, count);
    if (items.length === 0 && !(await store.jobs.get(tenant_id, job_id))) throw new WardClerkError('NOT_FOUND', 'No such job');
    // Only pending items travel with their text: the others need no work.
    return items.map((it) => ({ index: it.index, text: it.state === 'pending' ? it.text : '', state: it.state, prescription_id: it.prescription_id }));
  }, opts);

  // Batch items settle a chunk at a time; progress is coalesced per job (no event per item).
  bus.serve(contracts.jobItemsSettle, async ({ tenant_id, job_id, completed, failed }) => {
    // The worker passes extractions through unchecked: they are checked here, where they are stored.
    const checked: Array<{ index: number; extraction: Extraction }> = [];
    const rejected = [...failed];
    for (const c of completed) {
      const parsed = ExtractionSchema.safeParse(c.extraction);
      if (parsed.success) checked.push({ index: c.index, extraction: parsed.data });
      else rejected.push({ index: c.index, code: 'INTERNAL', message: 'The engine returned an extraction that does not match its schema' });
    }
    const out = await store.jobs.settleItems(tenant_id, job_id, { completed: checked, failed: rejected });
    if (out.jobDone) {
      progress.done(job_id);
      await jobCompleted(tenant_id, job_id);
    } else if (out.changed) {
      progress.update(tenant_id, job_id, out.counts);
    }
    return { job_done: out.jobDone, settled: out.outcomes.map((o) => ({ index: o.index, state: o.state, prescription_id: o.prescription_id })) };
  }, opts);

  bus.serve(contracts.jobItemFail, async ({ tenant_id, job_id, index, code, message }) => {
    const out = await store.jobs.failItem(tenant_id, job_id, index, { code, message });
    if (out.jobDone) await jobCompleted(tenant_id, job_id);
    return { job_done: out.jobDone };
  }, opts);

  serveWebhookSubjects({ bus, store, events, log, ...(webhooks ?? { settings: DEFAULT_WEBHOOK_SETTINGS }) });

  bus.serve(contracts.deadLetter, async ({ kind, code }) => {
    log.warn({ kind, code }, 'dead letter');
    return { recorded: true };
  }, opts);
}
