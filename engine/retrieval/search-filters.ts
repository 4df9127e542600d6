/**
 * Search filters: document type, clinical date range, section. A chunk passes when it matches
 * every filter given; an empty filter object passes everything.
 */
import type { Chunk, DocumentType } from './chunk.js';

export interface SearchFilters {
  /** Any of these document types. */
  types?: readonly DocumentType[];
  /** Inclusive ISO dates (`YYYY-MM-DD`); a chunk without a clinical date fails a date filter. */
  from?: string;
  to?: string;
  /** Section kinds (`medications_current`, `labs`, `preamble`, …) or header titles, case-insensitive. */
  sections?: readonly string[];
}

/** True when no filter is set. */
export function isUnfiltered(f: SearchFilters | undefined): boolean {
  return !f || ((!f.types || f.types.length === 0) && f.from === undefined && f.to === undefined && (!f.sections || f.sections.length === 0));
}

/** A predicate over chunks for `filters`, built once per search. */
export function chunkFilter(filters: SearchFilters): (chunk: Chunk) => boolean {
  const types = filters.types && filters.types.length > 0 ? new Set<string>(filters.types) : null;
  const sections = filters.sections && filters.sections.length > 0 ? new Set(filters.sections.map((s) => s.toLowerCase())) : null;
  const { from, to } = filters;
  return (c) => {
    if (types && !types.has(c.docType)) return false;
    if (from !== undefined || to !== undefined) {
      // ISO dates compare as strings.
      if (c.clinicalDate === null) return false;
      if (from !== undefined && c.clinicalDate < from) return false;
      if (to !== undefined && c.clinicalDate > to) return false;
    }
    if (sections && !sections.has(c.section.kind) && !sections.has(c.section.title.toLowerCase())) return false;
    return true;
  };
}
