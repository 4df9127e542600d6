/**
 * Chat answers as a stream, for SSE and the WebSocket: `delta` events whose texts joined are the
 * answer's text (one per sentence, with its citation marks), then one `done` with the whole
 * answer (sources, flags, grounding counts). The extractive answer is complete before the first
 * delta, so its time to first delta is its compute time.
 */
import type { ChatAnswer } from './chat-answer.js';
import { withCitations } from './chat-answer.js';

export type AnswerEvent = { type: 'delta'; text: string } | { type: 'done'; answer: ChatAnswer };

/** The events of an answer that is (or will be) complete; the consumer may stop early with `return()`. */
export async function* streamAnswer(answer: ChatAnswer | Promise<ChatAnswer>): AsyncGenerator<AnswerEvent, void, undefined> {
  const a = await answer;
  if (a.sentences.length === 0) yield { type: 'delta', text: a.text };
  else for (const [i, s] of a.sentences.entries()) yield { type: 'delta', text: (i === 0 ? '' : ' ') + withCitations(s) };
  yield { type: 'done', answer: a };
}
