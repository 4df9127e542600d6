/**
 * What the engine-backed pipeline steps (batch items, notes) share: their dependencies, their retry
 * delay, and keeping a message alive while an engine works on it.
 */
import type { JsMsg } from '@nats-io/jetstream';
import type { Bus } from '../core/bus.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { exponentialDelayMs } from './retry-policy.js';

export type PipelineStepSettings = Pick<Config, 'engineTimeoutMs' | 'itemMaxDeliver' | 'itemAckWaitMs'>;

export interface PipelineStepDeps {
  bus: Bus;
  log: Logger;
  settings: PipelineStepSettings;
}

/** Delay before retrying a transient failure: 1s, 2s, 4s… capped by the ack wait. */
export function stepRetryDelayMs(attempt: number, ackWaitMs: number): number {
  return exponentialDelayMs(attempt, 1000, ackWaitMs);
}

/**
 * Runs `work` while telling JetStream the message is still being processed, so a long extraction
 * is not redelivered to another worker halfway through.
 */
export async function whileWorking<T>(msg: JsMsg, ackWaitMs: number, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => msg.working(), Math.max(100, Math.floor(ackWaitMs / 3)));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
