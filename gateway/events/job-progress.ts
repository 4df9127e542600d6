/**
 * Batch progress events, coalesced per job: at most one `job.progress` per job per interval,
 * however many items settle in between (a 1,000-item job emits a handful, not 1,000). Progress is
 * advisory — `job.completed` (published by the caller, awaited) is the event that counts — so a
 * progress publish is not awaited on the item path and a failed one is only logged.
 */
import type { Logger } from '../../core/logger.js';
import type { EventPublisher } from './publisher.js';

export interface JobCounts {
  total: number;
  completed: number;
  failed: number;
}

export interface JobProgress {
  /** Records new counts for the job; publishes `job.progress` when the interval since the last one has passed. */
  update(tenantId: string, jobId: string, counts: JobCounts): void;
  /** Forgets a finished job (its `job.completed` follows). */
  done(jobId: string): void;
}

export function createJobProgress(events: EventPublisher, log: Logger, options: { intervalMs?: number; now?: () => number } = {}): JobProgress {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? Date.now;
  const last = new Map<string, number>();
  return {
    update(tenantId, jobId, counts) {
      const t = now();
      const prev = last.get(jobId);
      if (prev !== undefined && t - prev < intervalMs) return;
      last.set(jobId, t);
      // Drop the oldest entries of jobs that never finished here (e.g. another gateway finished them).
      if (last.size > 10_000) last.delete(last.keys().next().value!);
      events
        .publish(tenantId, 'job.progress', { job_id: jobId, total: counts.total, completed: counts.completed, failed: counts.failed })
        .catch(() => log.warn({ job_id: jobId }, 'job progress event not published'));
    },
    done(jobId) {
      last.delete(jobId);
    },
  };
}
