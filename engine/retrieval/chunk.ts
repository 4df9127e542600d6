/**
 * A chunk: one passage of one page of one document, the unit that is embedded, indexed, retrieved
 * and cited. `text` is always `pages[page - 1].slice(start, end)` of its document, and lies inside
 * one section of that page.
 */
import type { Section } from '../../core/clinical/extraction.js';

export const DOCUMENT_TYPES = ['lab_report', 'discharge_summary', 'imaging_report', 'consultation_note', 'pathology_report', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** `preamble`: text before the first header of a document (letterheads, patient details). */
export type ChunkSectionKind = Section['kind'] | 'preamble';

export interface ChunkSection {
  kind: ChunkSectionKind;
  /** The header as written ("Current medication"); empty for the preamble. */
  title: string;
}

/** What the chunker needs of a document. */
export interface ChunkableDocument {
  docId: string;
  type: DocumentType;
  /** ISO date `YYYY-MM-DD`, when known. */
  clinicalDate: string | null;
  /** Shown to the embedder as context ("Blood results, …"); may be empty. */
  title: string;
  /** Plain text per page; page numbers are 1-based indexes into this list. */
  pages: readonly string[];
}

export interface Chunk {
  /** `<docId>#<page>:<start>`: stable for the same text and chunking options. */
  id: string;
  docId: string;
  docType: DocumentType;
  clinicalDate: string | null;
  docTitle: string;
  /** 1-based. */
  page: number;
  /** Character range in the page's text. */
  start: number;
  end: number;
  section: ChunkSection;
  text: string;
  /** Approximate model tokens (`countTokens`). */
  tokens: number;
}

/**
 * The text a chunk is embedded and BM25-indexed as: its passage, preceded by the document title
 * and the section header when the passage does not start with it, so a passage from the middle
 * of "Current medication" of a "Renal clinic letter" still carries both.
 */
export function retrievalText(chunk: Chunk): string {
  const context: string[] = [];
  if (chunk.docTitle !== '') context.push(chunk.docTitle);
  if (chunk.section.title !== '' && !chunk.text.startsWith(chunk.section.title)) context.push(chunk.section.title);
  return context.length === 0 ? chunk.text : `${context.join(' — ')}\n${chunk.text}`;
}
