/**
 * The grounding check of chat answers: a sentence is kept only when every fact it states (number,
 * date, drug, condition) is in one of the passages it cites. A sentence that states a fact and
 * cites nothing, or cites a passage that was not given, is dropped. A sentence with no checkable
 * fact ("Here is what your records say.") is kept as it is. Used on the extractive answerer's
 * sentences as a safety net and on model answers, where it is the guard against invention.
 */
import { sentenceFacts, type SourceFacts, sourceFacts } from './answer-facts.js';

export interface CitedSentence {
  text: string;
  /** 1-based citation numbers; citation n is `sources[n - 1]`. */
  citations: readonly number[];
}

/** A cited passage: its text, and the document's title and clinical date (shown with the citation). */
export interface GroundingSource {
  text: string;
  title?: string;
  date?: string | null;
}

export interface DroppedSentence<S> {
  sentence: S;
  /** The facts not found in the cited passages ("850", "2024-03-12", "rxnorm:6809"), or `[n]` for a citation to no passage. PHI: never log. */
  missing: string[];
}

export interface GroundingResult<S> {
  kept: S[];
  dropped: Array<DroppedSentence<S>>;
  /** `dropped.length`, for the answer's counters. */
  droppedCount: number;
}

/** Splits `sentences` into those whose facts are all in their cited `sources` and those that are not. */
export function groundingCheck<S extends CitedSentence>(sentences: readonly S[], sources: readonly GroundingSource[]): GroundingResult<S> {
  const facts = new Map<number, SourceFacts>();
  const factsOf = (n: number): SourceFacts | null => {
    const source = sources[n - 1];
    if (!Number.isInteger(n) || source === undefined) return null;
    let f = facts.get(n);
    if (!f) facts.set(n, (f = sourceFacts(source.title ? `${source.title}\n${source.text}` : source.text, source.date ?? null)));
    return f;
  };
  const kept: S[] = [];
  const dropped: Array<DroppedSentence<S>> = [];
  for (const sentence of sentences) {
    const missing = missingFacts(sentence, factsOf);
    if (missing.length === 0) kept.push(sentence);
    else dropped.push({ sentence, missing });
  }
  return { kept, dropped, droppedCount: dropped.length };
}

function missingFacts(sentence: CitedSentence, factsOf: (n: number) => SourceFacts | null): string[] {
  const said = sentenceFacts(sentence.text);
  const cited: SourceFacts[] = [];
  const missing: string[] = [];
  for (const n of sentence.citations) {
    const f = factsOf(n);
    if (f) cited.push(f);
    else missing.push(`[${n}]`);
  }
  for (const n of said.numbers) if (!cited.some((f) => f.numbers.has(n))) missing.push(n);
  for (const readings of said.dates) if (!readings.some((r) => cited.some((f) => f.dates.has(r)))) missing.push(readings[0]!);
  for (const c of said.concepts) if (!cited.some((f) => f.concepts.has(c))) missing.push(c);
  return missing;
}
