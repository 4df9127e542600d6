/** How a stored job is reported: status derived from its counters. */
import type { JobRecord, JobStatus, JobView } from './records.js';

/**
 * `queued` while no item has finished, `running` until every item is terminal, then `failed` when
 * every item failed and `completed` otherwise (all succeeded, or a mix).
 */
export function jobStatus(job: Pick<JobRecord, 'total' | 'completed' | 'failed'>): JobStatus {
  const done = job.completed + job.failed;
  if (done === 0) return 'queued';
  if (done < job.total) return 'running';
  return job.failed === job.total ? 'failed' : 'completed';
}

/** True when every item is terminal. */
export function isJobDone(job: Pick<JobRecord, 'total' | 'completed' | 'failed'>): boolean {
  return job.completed + job.failed >= job.total;
}

/** The API view of a job (errors ordered by item index). */
export function toJobView(job: JobRecord): JobView {
  return {
    job_id: job.job_id,
    status: jobStatus(job),
    total: job.total,
    completed: job.completed,
    failed: job.failed,
    created_at: job.created_at,
    updated_at: job.updated_at,
    errors: [...job.errors].sort((a, b) => a.index - b.index),
  };
}
