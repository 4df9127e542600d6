/**
 * Small fictional patient records for the retrieval tests, and a builder that chunks and embeds
 * them with a real embedder into a `PatientIndex`.
 */
import type { Embedder } from '../../providers/embedder.js';
import type { ChunkableDocument } from '../chunk.js';
import { chunkDocument } from '../chunk-document.js';
import { embedChunks as embedAll } from '../embed-chunks.js';
import { type IndexedChunk, PatientIndex } from '../patient-index.js';

export const RECORD_A: readonly ChunkableDocument[] = [
  {
    docId: 'a-d1',
    type: 'lab_report',
    clinicalDate: '2023-10-30',
    title: 'Blood results, biochemistry',
    pages: [
      'Department of Clinical Biochemistry\n\nLabs:\nTest                   Result   Flag   Units              Ref. range\nSodium                 139             mmol/L             133 - 146\nCreatinine             128      H      umol/L             45 - 84\neGFR (CKD-EPI)         37       L      mL/min/1.73m2      >90\nHbA1c (IFCC)           64       H      mmol/mol           20 - 41',
    ],
  },
  {
    docId: 'a-d2',
    type: 'consultation_note',
    clinicalDate: '2024-01-22',
    title: 'Renal clinic letter',
    pages: [
      'Renal Medicine Outpatients\n\nDiagnoses:\n1. Chronic kidney disease G3b A2\n2. Type 2 diabetes mellitus\n\nAllergies: Penicillin (rash)\n\nImpression:\nDiabetic kidney disease with a slow decline in eGFR.',
      'Plan:\n1. Reduce metformin to 500 mg twice daily in view of the eGFR below 45.\n2. Start dapagliflozin 10 mg once daily.\n3. Review in renal clinic in 6 months.',
    ],
  },
  {
    docId: 'a-d3',
    type: 'imaging_report',
    clinicalDate: '2024-01-09',
    title: 'Renal ultrasound',
    pages: ['FINDINGS\nTwo normal sized kidneys, right 10.2 cm and left 10.6 cm, no hydronephrosis.\n\nIMPRESSION:\nNo obstruction. Appearances in keeping with medical renal disease.'],
  },
];

/** The documents' chunks with their embeddings. */
export async function embedChunks(docs: readonly ChunkableDocument[], embedder: Embedder): Promise<{ entries: IndexedChunk[]; space: string }> {
  return embedAll(docs.flatMap((d) => chunkDocument(d)), embedder);
}

/** A patient index over `docs`, embedded with `embedder`. */
export async function buildIndex(patientId: string, docs: readonly ChunkableDocument[], embedder: Embedder): Promise<PatientIndex> {
  const { entries, space } = await embedChunks(docs, embedder);
  return new PatientIndex({ patientId, space, dimensions: embedder.dimensions, chunks: entries });
}
