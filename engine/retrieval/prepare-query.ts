/**
 * What a search route or the chat does with a question before searching: the text to embed and
 * to give BM25 (the question with clinical words for its lay phrases) and the time it asks about.
 *
 *   const q = prepareQuery(message);
 *   const { vectors, space } = await embedder.embed({ texts: [q.text] });
 *   index.search({ ...q, vector: vectors[0], space, k: 10, filters });
 */
import { retrievalQuery } from './lay-terms.js';
import { type Recency, temporalCue } from './temporal-cue.js';

export interface PreparedQuery {
  text: string;
  recency: Recency | null;
}

export function prepareQuery(question: string): PreparedQuery {
  return { text: retrievalQuery(question), recency: temporalCue(question) };
}
