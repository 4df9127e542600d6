/**
 * Documents, search, the refresh summary and chat over GraphQL on the in-process appliance (real
 * nats-server, gateway, engine and worker): the same document list, document and search items as
 * REST; a cited chat answer; a referral answered at once with requires_doctor_consultation; a
 * refresh requested by mutation whose summary is REST's; an unassigned doctor NOT_FOUND as REST.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, until, type ApiError, type Envelope, type Page } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { seedCare, type CareSeed } from './care-plan-seed.js';
import { indexedText, type DocumentDetail, type DocumentView } from './documents-http.js';

interface GqlError { message: string; extensions: { code: string; status: number; details?: Record<string, unknown> } }
interface Gql<D> { data: D | null; errors?: GqlError[] }
interface SearchItem { passage: string; document_id: string; page: number; start: number; end: number; score: number; section: { kind: string; title: string } }
interface SearchResult { items: SearchItem[]; index_state: string; documents_pending: number }
interface ChatSource { n: number; document_id: string; document_type: string; date: string | null; page: number; start: number; end: number }
interface ChatAnswer {
  mode: string; conversation_id: string; text: string; sentences: Array<{ text: string; citations: number[] }>; sources: ChatSource[];
  found: boolean; requires_doctor_consultation: boolean; referral: { reason: string; urgency: string } | null;
}
interface Summary { version: number; job_id: string; trigger: string; active_medications: unknown; key_labs: unknown; inputs: unknown }

const LETTER = ['Diabetes clinic letter\n\nDiagnoses:\nType 2 diabetes mellitus, on treatment.\n\nCurrent medication:\nMetformin 500 mg twice daily\nRamipril 5 mg once daily\n\nPlan:\nReview in six months.'];
const LABS = ['Laboratory report\n\nLABS:\nHbA1c 8.1 % (high). Serum potassium 4.2 mmol/L. Creatinine 88 umol/L.'];

const DOC_FIELDS = `document_id patient_id job_id type clinical_date filename format content_type size_bytes sha256 page_count status
  failure { code message } pages { page text_source ocr_confidence chars } analysis { conditions medications observations prescriber }
  chunk_count embedding_space uploaded_by { kind id role } history { status at } created_at updated_at`;
const SEARCH_FIELDS = 'items { passage document_id document_type document_title clinical_date page start end section { kind title } score bm25_score vector_score } index_state documents_pending';
const CHAT = `mutation($p: ID!, $m: String!, $c: ID) { chat(patient_id: $p, message: $m, conversation_id: $c) {
  mode conversation_id text sentences { text citations } sources { n document_id document_type date page start end } found requires_doctor_consultation referral { reason urgency } } }`;

let app: Appliance;
let seed: CareSeed;
const docs = { letter: '', labs: '' };

function gql<D>(token: string, query: string, variables: Record<string, unknown> = {}) {
  return call<Gql<D>>(`${app.url}/api/v1/graphql`, { method: 'POST', token, json: { query, variables } });
}
function rest<D>(token: string, path: string) {
  return call<Envelope<D>>(`${app.url}/api/v1/patients/${seed.patientId}${path}`, { token });
}
/** REST's view less what GraphQL does not expose (blob_parts: how the sealed original is stored). */
function withoutParts(d: DocumentView & { blob_parts?: number }): DocumentView {
  const { blob_parts: _p, ...rest } = d;
  return rest;
}

beforeAll(async () => {
  app = await startAppliance({ without: ['gateway'] });
  seed = await seedCare(app.dataDir, app.config);
  await app.start('gateway');
  docs.letter = await indexedText(app.url, seed.patientId, seed.tokens.patient, LETTER, 'consultation_note', '2026-03-10');
  docs.labs = await indexedText(app.url, seed.patientId, seed.tokens.doctor, LABS, 'lab_report', '2026-03-01');
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('GraphQL documents, search, summary and chat', () => {
  it('lists, filters and pages the same documents as REST, and reads one with its pages and extraction', async () => {
    const LIST = `query($id: ID!, $t: DocumentType, $from: String, $c: String, $n: Int) { patient(id: $id) {
      documents(type: $t, from: $from, cursor: $c, limit: $n) { items { ${DOC_FIELDS} } next_cursor } } }`;
    const all = await gql<{ patient: { documents: Page<DocumentView> } }>(seed.tokens.doctor, LIST, { id: seed.patientId });
    expect(all.body.errors).toBeUndefined();
    const restAll = await rest<Page<DocumentView>>(seed.tokens.doctor, '/documents');
    expect(restAll.status).toBe(200);
    expect(all.body.data!.patient.documents).toEqual({ items: restAll.body.data.items.map(withoutParts), next_cursor: null });
    expect(all.body.data!.patient.documents.items.map((d) => d.document_id)).toEqual([docs.letter, docs.labs]);

    const labs = await gql<{ patient: { documents: Page<DocumentView> } }>(seed.tokens.patient, LIST, { id: seed.patientId, t: 'lab_report' });
    expect(labs.body.data!.patient.documents.items.map((d) => d.document_id)).toEqual([docs.labs]);
    const dated = await gql<{ patient: { documents: Page<DocumentView> } }>(seed.tokens.patient, LIST, { id: seed.patientId, from: '2026-03-05' });
    expect(dated.body.data!.patient.documents.items.map((d) => d.document_id)).toEqual([docs.letter]);
    const first = await gql<{ patient: { documents: Page<DocumentView> } }>(seed.tokens.patient, LIST, { id: seed.patientId, n: 1 });
    const restFirst = await rest<Page<DocumentView>>(seed.tokens.patient, '/documents?limit=1');
    expect(first.body.data!.patient.documents).toEqual({ items: restFirst.body.data.items.map(withoutParts), next_cursor: restFirst.body.data.next_cursor });
    const second = await gql<{ patient: { documents: Page<DocumentView> } }>(seed.tokens.patient, LIST, { id: seed.patientId, n: 1, c: restFirst.body.data.next_cursor });
    expect(second.body.data!.patient.documents.items.map((d) => d.document_id)).toEqual([docs.labs]);
    const bad = await gql<unknown>(seed.tokens.patient, LIST, { id: seed.patientId, from: '10 March' });
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });

    const ONE = `query($id: ID!, $d: ID!) { patient(id: $id) { document(id: $d) { ${DOC_FIELDS} extraction locations { path page start end } } } }`;
    const one = await gql<{ patient: { document: DocumentDetail } }>(seed.tokens.patient, ONE, { id: seed.patientId, d: docs.letter });
    expect(one.body.errors).toBeUndefined();
    const restOne = await rest<DocumentDetail>(seed.tokens.patient, `/documents/${docs.letter}`);
    expect(one.body.data!.patient.document).toEqual(withoutParts(restOne.body.data));
    expect(one.body.data!.patient.document).toMatchObject({ status: 'INDEXED', pages: [{ page: 1, text_source: 'text_layer' }] });
    expect(one.body.data!.patient.document.extraction!.medications.map((m) => m.name.toLowerCase())).toContain('metformin');
  });

  it('search answers the same items as REST, filters by type, and refuses a too-long question as REST', async () => {
    const SEARCH = `query($id: ID!, $q: String!, $n: Int, $t: [DocumentType!]) { patient(id: $id) { search(q: $q, limit: $n, types: $t) { ${SEARCH_FIELDS} } } }`;
    const g = await gql<{ patient: { search: SearchResult } }>(seed.tokens.doctor, SEARCH, { id: seed.patientId, q: 'metformin dose', n: 5 });
    expect(g.body.errors).toBeUndefined();
    const r = await rest<SearchResult>(seed.tokens.doctor, `/search?q=${encodeURIComponent('metformin dose')}&k=5`);
    expect(r.status).toBe(200);
    expect(g.body.data!.patient.search).toEqual(r.body.data);
    expect(g.body.data!.patient.search.items[0]).toMatchObject({ document_id: docs.letter });
    expect(g.body.data!.patient.search.items[0]!.passage).toContain('Metformin 500 mg');

    const typed = await gql<{ patient: { search: SearchResult } }>(seed.tokens.doctor, SEARCH, { id: seed.patientId, q: 'potassium', t: ['lab_report'] });
    const restTyped = await rest<SearchResult>(seed.tokens.doctor, '/search?q=potassium&type=lab_report');
    expect(typed.body.data!.patient.search).toEqual(restTyped.body.data);
    expect(typed.body.data!.patient.search.items.every((i) => i.document_id === docs.labs)).toBe(true);

    const long = await gql<unknown>(seed.tokens.doctor, SEARCH, { id: seed.patientId, q: 'x'.repeat(1001) });
    expect(long.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_LONG', status: 400 });
    const k = await gql<unknown>(seed.tokens.doctor, SEARCH, { id: seed.patientId, q: 'metformin', n: 51 });
    expect(k.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  });

  it('chat answers the patient with citations into their own document and continues the conversation', async () => {
    const a = await gql<{ chat: ChatAnswer }>(seed.tokens.patient, CHAT, { p: seed.patientId, m: 'What dose of metformin am I on?' });
    expect(a.body.errors).toBeUndefined();
    const answer = a.body.data!.chat;
    expect(answer).toMatchObject({ mode: 'patient', found: true, requires_doctor_consultation: false, referral: null });
    expect(answer.text).toContain('Metformin 500 mg twice daily');
    for (const s of answer.sentences) expect(s.citations.length).toBeGreaterThan(0);
    expect(answer.sources[0]).toMatchObject({ n: 1, document_id: docs.letter, document_type: 'consultation_note', date: '2026-03-10', page: 1 });
    expect(LETTER[0]!.slice(answer.sources[0]!.start, answer.sources[0]!.end)).toContain('Metformin 500 mg');

    const next = await gql<{ chat: ChatAnswer }>(seed.tokens.patient, CHAT, { p: seed.patientId, m: 'And ramipril?', c: answer.conversation_id });
    expect(next.body.data!.chat.conversation_id).toBe(answer.conversation_id);
    const conv = await rest<{ turns: unknown[] }>(seed.tokens.patient, `/conversations/${answer.conversation_id}`);
    expect(conv.status).toBe(200);
    expect(conv.body.data.turns).toHaveLength(4);

    expect((await gql<{ chat: { patient_summary_stats: unknown } }>(seed.tokens.patient, 'mutation($p: ID!) { chat(patient_id: $p, message: "metformin?") { patient_summary_stats } }', { p: seed.patientId })).body.data!.chat.patient_summary_stats).toBeNull();
    const doctor = await gql<{ chat: { mode: string; text: string; patient_summary_stats: { active_medications: unknown } | null } }>(seed.tokens.doctor,
      'mutation($p: ID!) { chat(patient_id: $p, message: "Latest potassium?") { mode text patient_summary_stats } }', { p: seed.patientId });
    expect(doctor.body.errors).toBeUndefined();
    expect(doctor.body.data!.chat.mode).toBe('doctor');
    expect(doctor.body.data!.chat.text).toContain('potassium 4.2 mmol/L');
    expect(JSON.stringify(doctor.body.data!.chat.patient_summary_stats).toLowerCase()).toContain('metformin');

    const blank = await gql<unknown>(seed.tokens.patient, CHAT, { p: seed.patientId, m: '   ' });
    expect(blank.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const nurse = await gql<unknown>(seed.tokens.nurse, CHAT, { p: seed.patientId, m: 'metformin dose?' });
    expect(nurse.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('a referral message is answered at once with requires_doctor_consultation true', async () => {
    const r = await gql<{ chat: ChatAnswer }>(seed.tokens.patient, CHAT, { p: seed.patientId, m: 'I have crushing chest pain right now' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.chat).toMatchObject({ requires_doctor_consultation: true, found: false, sources: [], referral: { reason: 'URGENT_SYMPTOM', urgency: 'emergency' } });
  });

  it('requestRefresh returns the job; the summary it stores is REST\'s', async () => {
    const SUMMARY = 'query($id: ID!) { patient(id: $id) { summary { version job_id trigger active_medications key_labs inputs } } }';
    const REFRESH = 'mutation($p: ID!) { requestRefresh(patient_id: $p) { job_id status_url job { job_id patient_id status } } }';
    const queued = await gql<{ requestRefresh: { job_id: string; status_url: string; job: { job_id: string; patient_id: string; status: string } } }>(seed.tokens.doctor, REFRESH, { p: seed.patientId });
    expect(queued.body.errors).toBeUndefined();
    const job = queued.body.data!.requestRefresh;
    expect(job.job_id).toMatch(/\S/);
    expect(job).toMatchObject({ status_url: `/api/v1/patients/${seed.patientId}/refresh/${job.job_id}`, job: { job_id: job.job_id, patient_id: seed.patientId } });
    await until(async () => {
      const s = await rest<{ status: string }>(seed.tokens.doctor, `/refresh/${job.job_id}`);
      return s.status === 200 && s.body.data.status === 'completed';
    }, 60_000, 100);
    const g = await gql<{ patient: { summary: Summary } }>(seed.tokens.patient, SUMMARY, { id: seed.patientId });
    expect(g.body.errors).toBeUndefined();
    const r = await rest<Summary>(seed.tokens.patient, '/summary');
    expect(r.status).toBe(200);
    expect(g.body.data!.patient.summary).toEqual({
      version: r.body.data.version, job_id: r.body.data.job_id, trigger: r.body.data.trigger,
      active_medications: r.body.data.active_medications, key_labs: r.body.data.key_labs, inputs: r.body.data.inputs,
    });
    expect(JSON.stringify(g.body.data!.patient.summary.active_medications).toLowerCase()).toContain('metformin');
  });

  it('an unassigned doctor gets NOT_FOUND for documents, a document, search, summary, refresh and chat, exactly as REST', async () => {
    const restErr = await call<{ error: ApiError }>(`${app.url}/api/v1/patients/${seed.patientId}/documents`, { token: seed.tokens.stranger });
    expect(restErr.status).toBe(404);
    const asks: Array<[string, Record<string, unknown>]> = [
      ['query($id: ID!) { patient(id: $id) { documents { items { document_id } } } }', { id: seed.patientId }],
      ['query($id: ID!, $d: ID!) { patient(id: $id) { document(id: $d) { document_id } } }', { id: seed.patientId, d: docs.letter }],
      ['query($id: ID!) { patient(id: $id) { search(q: "metformin") { items { passage } } } }', { id: seed.patientId }],
      ['query($id: ID!) { patient(id: $id) { summary { version } } }', { id: seed.patientId }],
      ['mutation($p: ID!) { requestRefresh(patient_id: $p) { job_id } }', { p: seed.patientId }],
      [CHAT, { p: seed.patientId, m: 'metformin dose?' }],
    ];
    for (const [query, variables] of asks) {
      const r = await gql<unknown>(seed.tokens.stranger, query, variables);
      expect(r.body.data).toBeNull();
      expect(r.body.errors![0]!.extensions).toEqual({ code: restErr.body.error.code, status: 404, details: restErr.body.error.details });
      expect(r.body.errors![0]!.message).toBe(restErr.body.error.message);
    }
    // This patient's document through another patient of the caller: NOT_FOUND (resource document) as REST.
    const theirs = await gql<unknown>(seed.tokens.stranger, 'query($id: ID!, $d: ID!) { patient(id: $id) { document(id: $d) { document_id } } }', { id: seed.otherPatientId, d: docs.letter });
    const restTheirs = await call<{ error: ApiError }>(`${app.url}/api/v1/patients/${seed.otherPatientId}/documents/${docs.letter}`, { token: seed.tokens.stranger });
    expect(restTheirs.status).toBe(404);
    expect(theirs.body.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', status: 404, details: { resource: 'document' } });
    expect(restTheirs.body.error.details).toEqual({ resource: 'document' });
  });
});
