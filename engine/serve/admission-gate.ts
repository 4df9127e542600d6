/**
 * Admission control in front of one loaded model (or the OCR pool): at most `concurrency` calls
 * run, at most `queueSize` wait in arrival order, and anything beyond is refused at once with
 * `OVERLOADED` carrying `retryAfter` — so a caller never hangs behind a full model. A waiting call
 * whose signal aborts leaves the queue with `CANCELLED`.
 */
import { WardClerkError } from '../../core/errors.js';

export interface AdmissionGateOptions {
  /** Names the model in error details (never PHI). */
  name: string;
  concurrency: number;
  queueSize: number;
  /** Seconds suggested to refused callers; default 1. */
  retryAfterSeconds?: number;
}

export interface GateStats {
  active: number;
  queued: number;
  concurrency: number;
  queue_size: number;
}

export interface AdmissionGate {
  /** Runs `fn` when a slot is free; throws OVERLOADED (details.retry_after) when the queue is full. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  stats(): GateStats;
}

/** Builds an OVERLOADED error whose retry hint survives a NATS hop (details.retry_after). */
export function overloaded(name: string, retryAfter: number, stats: GateStats): WardClerkError {
  return new WardClerkError('OVERLOADED', 'The model is busy and its queue is full; retry later', {
    retryAfter,
    details: { model: name, retry_after: retryAfter, queue_size: stats.queue_size, concurrency: stats.concurrency },
  });
}

export function createAdmissionGate(options: AdmissionGateOptions): AdmissionGate {
  const waiting: Array<{ start: () => void }> = [];
  let active = 0;
  const stats = (): GateStats => ({ active, queued: waiting.length, concurrency: options.concurrency, queue_size: options.queueSize });

  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next.start();
    }
  };

  const acquire = (signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(new WardClerkError('CANCELLED', 'request cancelled'));
    if (active < options.concurrency) {
      active++;
      return Promise.resolve();
    }
    if (waiting.length >= options.queueSize) return Promise.reject(overloaded(options.name, options.retryAfterSeconds ?? 1, stats()));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = waiting.indexOf(entry);
        if (i >= 0) waiting.splice(i, 1);
        reject(new WardClerkError('CANCELLED', 'request cancelled'));
      };
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      waiting.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    async run(fn, signal) {
      await acquire(signal);
      try {
        return await fn();
      } finally {
        release();
      }
    },
    stats,
  };
}
