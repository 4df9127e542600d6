/**
 * A pass run on an unref'd interval, and on demand: the shape of the gateway's housekeeping timers
 * (the session sweep, the note and document re-queues). A pass already running is joined, never
 * doubled; a failed timed pass is handed to `onError` and the next one retries (the store closing
 * or NATS briefly away is not worth a crash).
 */

export interface PeriodicPass<T> {
  /** One pass now; a pass already running (timed or not) is joined. */
  runOnce(): Promise<T>;
  /** Stops the interval and waits for a running pass (its failure is not re-thrown). */
  close(): Promise<void>;
}

/** Runs `pass` every `intervalMs`; a timed pass that rejects goes to `onError`. */
export function startPeriodicPass<T>(pass: () => Promise<T>, options: { intervalMs: number; onError: (e: unknown) => void }): PeriodicPass<T> {
  let running: Promise<T> | null = null;
  const runOnce = () => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    runOnce().catch(options.onError);
  }, options.intervalMs);
  timer.unref();
  return {
    runOnce,
    async close() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
