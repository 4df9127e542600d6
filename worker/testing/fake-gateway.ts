/**
 * Test double for the gateway's store subjects and the engine, served on a real NATS bus: the
 * worker talks to it exactly as it talks to the real gateway (this fakes at the interface, not
 * with vi.mock). Items and webhooks live in in-test maps; every call is counted so tests can assert
 * "exactly once". Engine and store behaviour is scriptable per text.
 */
import { connectBus, type Bus } from '../../core/bus.js';
import { contracts, type WardEvent, type WebhookResult } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { Extraction } from '../../core/clinical/extraction.js';
import { createLogger } from '../../core/logger.js';

export interface FakeItem {
  tenant_id: string;
  job_id: string;
  index: number;
  text: string;
  state: 'pending' | 'succeeded' | 'failed';
  prescription_id: string | null;
  error: { code: string; message: string } | null;
}

export interface FakeWebhook {
  tenant_id: string;
  id: string;
  url: string;
  secret: string;
  events: string[];
  status?: 'active' | 'disabled';
}

export function emptyExtraction(): Extraction {
  return {
    extractor: 'fake', extractor_version: '1', latency_ms: 1, sections: [], diseases: [], medications: [], observations: [],
    doctor: null, allergies: [], warnings: [],
  };
}

const key = (job: string, index: number) => `${job}.${index}`;

export class FakeGateway {
  readonly items = new Map<string, FakeItem>();
  readonly webhooks = new Map<string, FakeWebhook>();
  /** Prescriptions created per item key: must stay ≤ 1. */
  readonly created = new Map<string, number>();
  readonly engineCalls = new Map<string, number>();
  /** Every webhook attempt outcome the worker reported, in order. */
  readonly webhookResults: WebhookResult[] = [];
  /** When set, a subscription is disabled once this many failures were reported for it. */
  disableAfterFailures: number | null = null;
  readonly deadLetters: Array<{ tenant_id: string; kind: string; ref: string; code: string; message: string }> = [];
  /** Per text: what the engine does on call n (1-based); default returns an extraction. */
  engineScript: (text: string, call: number) => Extraction | WardClerkError | Promise<Extraction | WardClerkError> = () => emptyExtraction();
  /** Item keys whose next complete() stores the result but answers STORE_UNAVAILABLE (a lost reply). */
  readonly loseCompleteReply = new Set<string>();
  /** `wc.engine.extract-batch` requests and `wc.store.job-items.settle` requests answered. */
  engineBatchCalls = 0;
  settleCalls = 0;

  private constructor(readonly bus: Bus) {}

  static async start(url: string): Promise<FakeGateway> {
    const bus = await connectBus({ url, name: 'fake-gateway', log: createLogger({ level: 'silent', role: 'test' }) });
    const g = new FakeGateway(bus);
    g.serve();
    await bus.nc.flush();
    return g;
  }

  addItem(tenant_id: string, job_id: string, index: number, text: string): FakeItem {
    const item: FakeItem = { tenant_id, job_id, index, text, state: 'pending', prescription_id: null, error: null };
    this.items.set(key(job_id, index), item);
    return item;
  }

  item(job_id: string, index: number): FakeItem | undefined {
    return this.items.get(key(job_id, index));
  }

  private find(r: { tenant_id: string; job_id: string; index: number }): FakeItem {
    const item = this.items.get(key(r.job_id, r.index));
    if (!item || item.tenant_id !== r.tenant_id) throw new WardClerkError('NOT_FOUND', 'No such item');
    return item;
  }

  private serve(): void {
    const { bus } = this;
    bus.serve(contracts.jobItemGet, async (r) => {
      const i = this.find(r);
      return { index: i.index, text: i.text, patient_ref: null, external_id: null, state: i.state, prescription_id: i.prescription_id };
    });
    bus.serve(contracts.jobItemComplete, async (r) => {
      const i = this.find(r);
      const k = key(r.job_id, r.index);
      let created = false;
      if (i.state === 'pending') {
        i.state = 'succeeded';
        i.prescription_id = `rx-${k}`;
        this.created.set(k, (this.created.get(k) ?? 0) + 1);
        created = true;
      }
      if (this.loseCompleteReply.delete(k)) throw new WardClerkError('STORE_UNAVAILABLE', 'reply lost (test)');
      return { prescription_id: i.prescription_id ?? '', created, job_done: false };
    });
    bus.serve(contracts.jobItemsGet, async (r) => {
      const out = [];
      for (let index = r.index; index < r.index + r.count; index++) {
        const i = this.items.get(key(r.job_id, index));
        if (i && i.tenant_id === r.tenant_id) out.push({ index, text: i.state === 'pending' ? i.text : '', state: i.state, prescription_id: i.prescription_id });
      }
      if (out.length === 0) throw new WardClerkError('NOT_FOUND', 'No such job');
      return out;
    });
    bus.serve(contracts.jobItemsSettle, async (r) => {
      const settled = [];
      let lost = false;
      for (const c of r.completed) {
        const i = this.items.get(key(r.job_id, c.index));
        if (!i || i.tenant_id !== r.tenant_id) continue;
        const k = key(r.job_id, c.index);
        if (i.state !== 'succeeded') {
          i.state = 'succeeded';
          i.error = null;
          i.prescription_id = `rx-${k}`;
          this.created.set(k, (this.created.get(k) ?? 0) + 1);
        }
        if (this.loseCompleteReply.delete(k)) lost = true;
        settled.push({ index: c.index, state: i.state, prescription_id: i.prescription_id });
      }
      for (const f of r.failed) {
        const i = this.items.get(key(r.job_id, f.index));
        if (!i || i.tenant_id !== r.tenant_id) continue;
        if (i.state === 'pending') {
          i.state = 'failed';
          i.error = { code: f.code, message: f.message };
        }
        settled.push({ index: f.index, state: i.state, prescription_id: i.prescription_id });
      }
      this.settleCalls++;
      if (lost) throw new WardClerkError('STORE_UNAVAILABLE', 'reply lost (test)');
      return { job_done: false, settled };
    });
    bus.serve(
      contracts.engineExtractBatch,
      async (r) => {
        this.engineBatchCalls++;
        const results = [];
        for (const text of r.texts) {
          const n = (this.engineCalls.get(text) ?? 0) + 1;
          this.engineCalls.set(text, n);
          const out = await this.engineScript(text, n);
          results.push(out instanceof WardClerkError ? { ok: false as const, error: out.toJSON() } : { ok: true as const, extraction: out });
        }
        return { results };
      },
      { queue: 'engine' },
    );
    bus.serve(contracts.jobItemFail, async (r) => {
      const i = this.find(r);
      if (i.state === 'pending') {
        i.state = 'failed';
        i.error = { code: r.code, message: r.message };
      }
      return { job_done: false };
    });
    bus.serve(contracts.deadLetter, async (r) => {
      this.deadLetters.push(r);
      return { recorded: true };
    });
    bus.serve(contracts.webhooksForEvent, async (r) => ({
      deliveries: [...this.webhooks.values()]
        .filter((w) => w.tenant_id === r.tenant_id && w.events.includes(r.event.type) && w.status !== 'disabled')
        .map((w) => ({ webhook_id: w.id, delivery_id: `${r.event.id}.${w.id}` })),
      skipped: 0,
    }));
    bus.serve(contracts.webhookGet, async (r) => {
      const w = this.webhooks.get(r.id);
      return w && w.tenant_id === r.tenant_id ? { id: w.id, url: w.url, secret: w.secret, status: w.status ?? 'active' } : null;
    });
    bus.serve(contracts.webhookResult, async (r) => {
      this.webhookResults.push(r);
      const w = this.webhooks.get(r.webhook_id);
      if (!w || w.tenant_id !== r.tenant_id) return { status: 'gone' as const };
      if (r.outcome !== 'delivered' && this.disableAfterFailures !== null) {
        const failures = this.webhookResults.filter((x) => x.webhook_id === w.id && x.outcome !== 'delivered' && x.error_code !== 'WEBHOOK_DISABLED').length;
        if (failures >= this.disableAfterFailures) w.status = 'disabled';
      }
      return { status: w.status ?? 'active' };
    });
    bus.serve(
      contracts.engineExtract,
      async (r) => {
        const n = (this.engineCalls.get(r.text) ?? 0) + 1;
        this.engineCalls.set(r.text, n);
        const out = await this.engineScript(r.text, n);
        if (out instanceof WardClerkError) throw out;
        return out;
      },
      { queue: 'engine' },
    );
  }

  async close(): Promise<void> {
    await this.bus.close();
  }
}

/** An event as the gateway would publish it. */
export function testEvent(tenant_id: string, id: string, type: WardEvent['type'] = 'job.completed'): WardEvent {
  return { id, type, tenant_id, created_at: new Date().toISOString(), data: { job_id: `job-${id}` } };
}

/** Polls `check` until it returns true or the deadline passes (then throws with `what`). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
