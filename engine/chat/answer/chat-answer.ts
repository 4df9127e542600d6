/**
 * The shape of a chat answer, whoever writes it (the extractive answerer or a model): text whose
 * sentences end with numbered citations, and the sources those numbers point to.
 */
import type { SearchHit } from '../../retrieval/patient-index.js';

export type ChatMode = 'patient' | 'doctor';

/** What the answerer needs of a retrieved passage (a `SearchHit` is one). */
export type AnswerPassage = Pick<SearchHit, 'chunkId' | 'passage' | 'docId' | 'docType' | 'docTitle' | 'clinicalDate' | 'page' | 'start' | 'end' | 'section' | 'score'>;

/** One numbered source: `[n]` in the text is `sources[n - 1]`. */
export interface AnswerSource {
  n: number;
  document_id: string;
  document_title: string;
  document_type: AnswerPassage['docType'];
  /** The document's clinical date (ISO), when known. */
  date: string | null;
  /** 1-based page and the passage's character range in that page's text. */
  page: number;
  start: number;
  end: number;
  chunk_id: string;
}

export interface AnswerSentence {
  /** The sentence without its citation marks. */
  text: string;
  citations: number[];
}

export interface ChatAnswer {
  /** The sentences, each followed by its marks ("Metformin 500 mg twice daily [1]."). */
  text: string;
  sentences: AnswerSentence[];
  sources: AnswerSource[];
  /** False when nothing relevant was found: `text` then says the records do not contain it. */
  found: boolean;
  requires_doctor_consultation: boolean;
  /** Sentences checked against their cited passages, and those dropped as ungrounded. */
  grounding: { checked: number; dropped: number };
}

/** A sentence with its citation marks, ending in one full stop. */
export function withCitations(sentence: AnswerSentence): string {
  const body = sentence.text.replace(/[\s.;:,]+$/, '');
  const marks = sentence.citations.map((n) => `[${n}]`).join('');
  return marks === '' ? `${body}.` : `${body} ${marks}.`;
}
