/**
 * Runs a durable JetStream pull consumer with a bounded number of handlers in flight. The pull
 * buffer is as small as the concurrency, so messages do not sit in a client buffer while their ack
 * deadline runs. Handlers settle each message themselves (ack/nak/term); the loop never does, except
 * for messages that arrive after close() began, which are nak'ed so another worker takes them now.
 */
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../core/logger.js';

export interface ConsumeLoopOptions {
  js: JetStreamClient;
  stream: string;
  durable: string;
  concurrency: number;
  log: Logger;
  /** Settles the message (ack, nak or term). A rejection is a bug: logged, message left to redeliver. */
  handle: (msg: JsMsg) => Promise<unknown>;
}

export interface ConsumeLoop {
  /** Stops pulling, waits for the handlers in flight, and resolves. Idempotent. */
  close(): Promise<void>;
}

/** Starts consuming; resolves once the consumer is bound and pulling. */
export async function startConsumeLoop(options: ConsumeLoopOptions): Promise<ConsumeLoop> {
  const { js, stream, durable, log } = options;
  const concurrency = Math.max(1, options.concurrency);
  const consumer = await js.consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: concurrency });
  const inFlight = new Set<Promise<void>>();
  let closing = false;

  const run = async (msg: JsMsg): Promise<void> => {
    try {
      await options.handle(msg);
    } catch (error) {
      // Handlers turn every expected failure into nak/term; reaching here is a bug. The message
      // stays unacknowledged and is redelivered after its ack deadline (bounded by MaxDeliver).
      log.error({ stream, durable, seq: msg.seq, err: { type: (error as Error)?.name, stack: (error as Error)?.stack } }, 'message handler failed');
    }
  };

  const loop = (async () => {
    for await (const msg of messages) {
      while (inFlight.size >= concurrency && !closing) await Promise.race(inFlight);
      if (closing) {
        msg.nak();
        continue;
      }
      const p: Promise<void> = run(msg).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  })();
  // A consumer that stops with an error (stream deleted, connection closed for good) leaves the
  // worker useless: crash loudly so the supervisor restarts it, rather than idling while "ready".
  void loop.catch((error: unknown) => {
    log.fatal({ stream, durable, err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'consumer stopped');
    throw error;
  });

  let closed: Promise<void> | undefined;
  return {
    close() {
      closed ??= (async () => {
        closing = true;
        await messages.close();
        await loop;
        await Promise.all(inFlight);
      })();
      return closed;
    },
  };
}
