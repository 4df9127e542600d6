/**
 * Bridges a callback-style generation (a library that calls `onToken` while a promise runs) to the
 * `TextModel.stream` async iterable. Breaking out of the consumer's loop aborts the generation, and
 * the iterator does not finish until the generation has actually stopped, so no native work is
 * left running behind a closed stream.
 */
import type { GenerateResult, TextStreamEvent } from './text-model.js';

/** Runs `run` with a token callback and a signal (the caller's, plus "consumer went away"). */
export async function* tokenStream(
  run: (onToken: (text: string) => void, signal: AbortSignal) => Promise<GenerateResult>,
  outerSignal: AbortSignal | undefined,
): AsyncGenerator<TextStreamEvent> {
  const controller = new AbortController();
  const signal = outerSignal ? AbortSignal.any([outerSignal, controller.signal]) : controller.signal;
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  let settled = false;
  let result: GenerateResult | undefined;
  let failure: unknown;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const running = run((text) => {
    if (text.length === 0) return;
    queue.push(text);
    notify();
  }, signal).then(
    (r) => { result = r; },
    (e: unknown) => { failure = e; },
  ).finally(() => {
    settled = true;
    notify();
  });
  try {
    for (;;) {
      while (queue.length > 0) yield { type: 'token', text: queue.shift() as string };
      if (settled) break;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
    if (failure !== undefined) throw failure;
    if (result === undefined) throw new Error('token stream ended without a result');
    yield { type: 'done', ...result };
  } finally {
    if (!settled) controller.abort(new Error('stream closed by consumer'));
    await running;
  }
}
