/**
 * A patient's documents and the search over them: resolvers call the services the REST routes call
 * (gateway/documents/service.ts, gateway/search/service.ts), with the REST query schemas. Each loads
 * the patient through people/access.ts, so an unassigned doctor gets NOT_FOUND as on REST. The
 * original file's bytes are REST only (GET …/documents/{doc_id}/file).
 */
import type { DocumentExtraction, DocumentRecord } from '../../../core/documents/records.js';
import { DocumentListQuery, documentView } from '../../documents/schemas.js';
import { getDocumentDetail, listDocuments } from '../../documents/service.js';
import { SearchQuerySchema } from '../../search/schemas.js';
import { searchPatient } from '../../search/service.js';
import type { GraphQLContext } from '../context.js';
import { validInput, withoutNulls, type PageArgs } from '../input.js';
import type { GraphQLModule } from '../module.js';

type PatientParent = { patient_id: string };
type DocumentArgs = PageArgs & { type?: string | null; from?: string | null; to?: string | null };
type SearchArgs = { q: string; limit?: number | null; types?: string[] | null; from?: string | null; to?: string | null; sections?: string[] | null };

/** A document read by document(id) carries its extraction; one of a list loads it when asked. */
type DocumentParent = DocumentRecord & { extraction_loaded?: DocumentExtraction | null };

async function extractionOf(doc: DocumentParent, ctx: GraphQLContext): Promise<DocumentExtraction | null> {
  if (doc.extraction_loaded !== undefined) return doc.extraction_loaded;
  const { extraction } = await getDocumentDetail(ctx.deps, ctx.principal, doc.patient_id, doc.document_id);
  doc.extraction_loaded = extraction;
  return extraction;
}

export const documentsModule: GraphQLModule = {
  typeDefs: /* GraphQL */ `
    enum DocumentType {
      lab_report
      discharge_summary
      imaging_report
      consultation_note
      pathology_report
      other
    }

    enum DocumentStatus {
      RECEIVED
      INGESTED
      ANALYZING
      INDEXED
      FAILED
    }

    "One page as read: its text layer or OCR (with its mean confidence, 0–1)."
    type ReadPage {
      page: Int!
      text_source: String!
      ocr_confidence: Float
      chars: Int!
    }

    "Counts of what the analysis found."
    type DocumentAnalysis {
      conditions: Int!
      medications: Int!
      observations: Int!
      prescriber: Boolean!
    }

    type DocumentStatusChange {
      status: DocumentStatus!
      at: String!
    }

    "Where an extracted value sits: its path in the extraction, its page and the range in that page's text."
    type SpanLocation {
      path: String!
      page: Int!
      start: Int!
      end: Int!
    }

    "A patient document: status, pages and analysis (the file itself is REST only: GET …/documents/{doc_id}/file)."
    type Document {
      document_id: ID!
      patient_id: ID!
      job_id: ID!
      type: DocumentType!
      clinical_date: String
      filename: String
      format: String!
      content_type: String!
      size_bytes: Int!
      sha256: String!
      page_count: Int!
      status: DocumentStatus!
      failure: CodedError
      pages: [ReadPage!]!
      analysis: DocumentAnalysis
      chunk_count: Int
      embedding_space: String
      uploaded_by: Actor!
      history: [DocumentStatusChange!]!
      created_at: String!
      updated_at: String!
      "The analysis's extraction (null until analysed); spans are offsets in the pages' text joined by a blank line."
      extraction: JSON
      locations: [SpanLocation!]!
    }

    type DocumentPage {
      items: [Document!]!
      next_cursor: String
    }

    type SearchSection {
      kind: String!
      title: String!
    }

    "A passage of one of the patient's documents: exactly start…end of its page's text."
    type SearchItem {
      passage: String!
      document_id: ID!
      document_type: DocumentType!
      document_title: String!
      clinical_date: String
      page: Int!
      start: Int!
      end: Int!
      section: SearchSection!
      score: Float!
      bm25_score: Float!
      vector_score: Float
    }

    "building: some documents are still being processed (documents_pending); their passages are not searchable yet."
    type SearchResult {
      items: [SearchItem!]!
      index_state: String!
      documents_pending: Int!
    }

    type Patient {
      "The patient's documents, oldest first, by type and by date (clinical date, else upload day; from/to YYYY-MM-DD)."
      documents(type: DocumentType, from: String, to: String, cursor: String, limit: Int): DocumentPage!
      "One document of the patient (NOT_FOUND for another's)."
      document(id: ID!): Document!
      "The best passages of the patient's INDEXED documents (REST's k is limit here, 1–50, default 10). QUERY_TOO_LONG, VALIDATION_FAILED as REST."
      search(q: String!, limit: Int, types: [DocumentType!], from: String, to: String, sections: [String!]): SearchResult!
    }
  `,
  resolvers: {
    Patient: {
      documents: async (p: PatientParent, args: DocumentArgs, ctx: GraphQLContext) => {
        const q = validInput(DocumentListQuery, withoutNulls({ cursor: args.cursor, limit: args.limit, type: args.type, from: args.from, to: args.to }));
        const page = await listDocuments(ctx.deps, ctx.principal, p.patient_id, q);
        return { items: page.items.map(documentView), next_cursor: page.next_cursor };
      },
      document: async (p: PatientParent, args: { id: string }, ctx: GraphQLContext): Promise<DocumentParent> => {
        const { doc, extraction } = await getDocumentDetail(ctx.deps, ctx.principal, p.patient_id, args.id);
        return { ...doc, extraction_loaded: extraction };
      },
      search: (p: PatientParent, args: SearchArgs, ctx: GraphQLContext) => {
        const q = validInput(SearchQuerySchema, withoutNulls({
          q: args.q, k: args.limit, from: args.from, to: args.to, type: args.types?.join(','), section: args.sections?.join(','),
        }));
        return searchPatient(ctx.deps, ctx.principal, p.patient_id, q);
      },
    },
    Document: {
      extraction: async (d: DocumentParent, _: unknown, ctx: GraphQLContext) => (await extractionOf(d, ctx))?.extraction ?? null,
      locations: async (d: DocumentParent, _: unknown, ctx: GraphQLContext) => (await extractionOf(d, ctx))?.locations ?? [],
    },
  },
};
