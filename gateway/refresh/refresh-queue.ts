/**
 * RAG refreshes run sequentially per patient (issue 9): one runs at a time for a patient, and
 * triggers that arrive meanwhile join ONE queued refresh behind it (they coalesce: their job id is
 * the queued one's), which starts when the running one ends — so a change made during a run is
 * always read by a later run, and no two runs of a patient ever overlap. Jobs are kept in memory
 * (the latest MAX_JOBS) so their status can be read; each finished run is a durable version
 * (run-refresh.ts). Automatic triggers (a document INDEXED, a note settled) are skipped when the
 * tenant turned `auto_refresh` off. Logs carry ids, triggers and counts only, never PHI.
 */
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { RefreshTrigger } from '../store/summaries-repo.js';
import type { Store } from '../store/store.js';
import { refreshSettings } from './refresh-settings.js';
import { runRefresh, type RefreshRunDeps } from './run-refresh.js';

export const REFRESH_JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;

/** What GET /api/v1/patients/{id}/refresh/{job_id} shows of a refresh. */
export interface RefreshJob {
  job_id: string;
  tenant_id: string;
  patient_id: string;
  status: (typeof REFRESH_JOB_STATUSES)[number];
  /** Every trigger this job coalesced, in arrival order. */
  triggers: RefreshTrigger[];
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The stored version (completed jobs). */
  version: number | null;
  error: { code: string } | null;
}

/** Jobs whose status stays readable; older ones are forgotten first. */
export const MAX_JOBS = 5000;

export interface RefreshQueueDeps extends RefreshRunDeps {
  store: Store;
  log: Logger;
}

/** What the documents and notes pipelines call when something new settles for a patient. */
export interface AutoRefresh {
  /** Queues a refresh unless the tenant turned auto_refresh off; never throws (failures are logged). */
  auto(tenantId: string, patientId: string, trigger: RefreshTrigger): void;
}

interface PatientLane {
  running: RefreshJob;
  next: RefreshJob | null;
  done: Promise<void>;
}

export class RefreshQueue implements AutoRefresh {
  readonly #deps: RefreshQueueDeps;
  readonly #lanes = new Map<string, PatientLane>();
  readonly #jobs = new Map<string, RefreshJob>();
  readonly #autos = new Set<Promise<unknown>>();
  #closed = false;

  constructor(deps: RefreshQueueDeps) {
    this.#deps = deps;
  }

  /** Queues (or joins the queued) refresh of the patient; resolves with its job at once. */
  trigger(tenantId: string, patientId: string, trigger: RefreshTrigger): RefreshJob {
    const key = `${tenantId}:${patientId}`;
    const lane = this.#lanes.get(key);
    if (lane?.next) {
      lane.next.triggers.push(trigger);
      this.#deps.log.info({ job_id: lane.next.job_id, trigger, coalesced: true }, 'patient refresh triggered');
      return lane.next;
    }
    const job: RefreshJob = {
      job_id: newId('rfj'), tenant_id: tenantId, patient_id: patientId, status: 'queued', triggers: [trigger],
      created_at: new Date().toISOString(), started_at: null, finished_at: null, version: null, error: null,
    };
    this.#remember(job);
    this.#deps.log.info({ job_id: job.job_id, trigger, coalesced: false, queued_behind: lane ? lane.running.job_id : null }, 'patient refresh triggered');
    if (lane) lane.next = job;
    else {
      const fresh: PatientLane = { running: job, next: null, done: Promise.resolve() };
      this.#lanes.set(key, fresh);
      fresh.done = this.#drain(key, fresh);
    }
    return job;
  }

  auto(tenantId: string, patientId: string, trigger: RefreshTrigger): void {
    // Shutting down: the store is about to close; the next manual refresh reads what this one would have.
    if (this.#closed) return;
    const p = refreshSettings(this.#deps.store, tenantId).then((s) => {
      if (s.auto_refresh) this.trigger(tenantId, patientId, trigger);
      else this.#deps.log.info({ trigger, skipped: 'auto_refresh_off' }, 'patient refresh not triggered');
    }).catch((e: unknown) => this.#deps.log.warn({ trigger, err: { type: (e as Error)?.name, code: (e as { code?: string })?.code } }, 'patient refresh not triggered: settings unreadable'));
    this.#autos.add(p);
    void p.finally(() => this.#autos.delete(p));
  }

  /** The job, if it is the patient's and still remembered; NOT_FOUND otherwise. */
  job(tenantId: string, patientId: string, jobId: string): RefreshJob {
    const job = this.#jobs.get(jobId);
    if (!job || job.tenant_id !== tenantId || job.patient_id !== patientId) {
      throw new WardClerkError('NOT_FOUND', 'No such refresh job', { details: { resource: 'job' } });
    }
    return job;
  }

  /** Resolves once no refresh is queued or running (and no automatic trigger is being decided). */
  async idle(): Promise<void> {
    await Promise.all([...this.#autos]);
    while (this.#lanes.size > 0) await Promise.all([...this.#lanes.values()].map((l) => l.done));
  }

  /** Stops taking automatic triggers and waits until idle (gateway shutdown, before the store closes). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
  }

  async #drain(key: string, lane: PatientLane): Promise<void> {
    // Start on a later tick: the caller has its job (and its 202) before any work begins.
    await undefined;
    for (;;) {
      const job = lane.running;
      job.status = 'running';
      job.started_at = new Date().toISOString();
      const t0 = performance.now();
      try {
        const out = await runRefresh(this.#deps, { tenantId: job.tenant_id, patientId: job.patient_id, jobId: job.job_id, triggers: [...job.triggers] });
        Object.assign(job, { status: 'completed', version: out.version });
        this.#deps.log.info({ job_id: job.job_id, triggers: job.triggers, version: out.version, inputs: out.inputs, index: out.index, ms: Math.round(performance.now() - t0) }, 'patient refresh completed');
      } catch (e) {
        // Recorded on the job (its status says failed), not swallowed: the next trigger runs again.
        const code = e instanceof WardClerkError ? e.code : 'INTERNAL';
        Object.assign(job, { status: 'failed', error: { code } });
        this.#deps.log.error({ job_id: job.job_id, triggers: job.triggers, err: { type: (e as Error)?.name, code } }, 'patient refresh failed');
      }
      job.finished_at = new Date().toISOString();
      if (!lane.next) break;
      lane.running = lane.next;
      lane.next = null;
    }
    this.#lanes.delete(key);
  }

  #remember(job: RefreshJob): void {
    this.#jobs.set(job.job_id, job);
    if (this.#jobs.size > MAX_JOBS) {
      for (const [id, old] of this.#jobs) {
        if (this.#jobs.size <= MAX_JOBS) break;
        if (old.status === 'completed' || old.status === 'failed') this.#jobs.delete(id);
      }
    }
  }
}
