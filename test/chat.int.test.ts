/**
 * Chat about a patient's records on the real parts: a real nats-server, the real gateway, engine
 * and worker. Two patients whose records differ by one fact (the metformin dose) go through the
 * documents pipeline; the patient and the assigned doctor ask, in JSON and over SSE; every sentence
 * cites the patient's own document; a question the records cannot answer says so; an urgent
 * message is answered at once with the fixed referral and a chat.referral event on the care team's
 * WebSocket; bad bodies are coded 400s; nurses 403, an unassigned doctor 404; each turn is stored in
 * the caller's own conversation, sealed (a marker is nowhere on disk), listed, read and deleted by its owner only;
 * a doctor's answer carries the patient summary stats, a patient's does not; a short follow-up in the same
 * conversation ("and the one before that?") is answered about the question it follows.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EMERGENCY_REFERRAL } from '../engine/chat/triage/referral.js';
import { call, type Envelope } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { seedCare, type CareSeed } from './care-plan-seed.js';
import { indexedText, settled, uploadText } from './documents-http.js';
import { expectNowhereOnDisk, whileStopped } from './nowhere-on-disk.js';

interface Source { n: number; document_id: string; document_title: string; document_type: string; date: string | null; page: number; start: number; end: number; chunk_id: string }
interface ChatAnswer {
  mode: 'patient' | 'doctor'; conversation_id: string; text: string; sentences: Array<{ text: string; citations: number[] }>; sources: Source[]; found: boolean;
  requires_doctor_consultation: boolean; referral: { reason: string; urgency: string } | null; grounding: { checked: number; dropped: number };
  index_state: 'ready' | 'building'; documents_pending: number; patient_summary_stats?: SummaryStats;
}
interface SummaryStats {
  age: number | null; last_consultation: string | null; summary_version: number | null;
  active_conditions: Array<{ display: string; code: string | null; last_seen: string }>;
  active_medications: Array<{ name: string; dose: string | null; last_seen: string }>;
  latest_labs: Array<{ code: string; text: string; value: number | null; value_string: string | null; unit: string | null; date: string }>;
}
interface ErrorAnswer { error: { code: string; details?: Record<string, unknown> } }
interface Turn { role: 'user' | 'assistant'; text: string; at: string; sources?: Array<Record<string, unknown>>; requires_doctor_consultation?: boolean }
interface Conversation { conversation_id: string; mode: string; created_at: string; updated_at: string; turns: Turn[] }
interface ConversationPage { items: Array<{ conversation_id: string; mode: string; turns: number }>; next_cursor: string | null }

const MARKER = `QZVX${Date.now().toString(36)}CHATMARKER`;

const letter = (dose: string): string[] => [
  `Diabetes clinic letter\n\nDiagnoses:\nType 2 diabetes mellitus, on treatment.\n\nCurrent medication:\nMetformin ${dose} twice daily\nRamipril 5 mg once daily\n\nPlan:\nReview in six months.`,
];
const LABS = ['Laboratory report\n\nLABS:\nHbA1c 8.1 % (high). Serum potassium 4.2 mmol/L. Creatinine 88 umol/L.'];

let app: Appliance;
let seed: CareSeed;
const docs = { mine: '', labs: '', theirs: '' };

function chat<T = Envelope<ChatAnswer>>(patientId: string, token: string, json: unknown) {
  return call<T>(`${app.url}/api/v1/patients/${patientId}/chat`, { method: 'POST', token, json });
}

beforeAll(async () => {
  app = await startAppliance({ without: ['gateway'] });
  seed = await seedCare(app.dataDir, app.config);
  await app.start('gateway');
  docs.mine = await indexedText(app.url, seed.patientId, seed.tokens.patient, letter('500 mg'), 'consultation_note', '2026-03-10');
  docs.labs = await indexedText(app.url, seed.patientId, seed.tokens.doctor, LABS, 'lab_report', '2026-03-01');
  docs.theirs = await indexedText(app.url, seed.otherPatientId, seed.tokens.stranger, letter('850 mg'), 'consultation_note', '2026-03-10');
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('POST /api/v1/patients/{id}/chat', () => {
  it("answers the patient and the doctor from the patient's own records, every sentence cited; the other patient's dose never appears", async () => {
    const patient = await chat(seed.patientId, seed.tokens.patient, { message: 'What dose of metformin am I on?' });
    expect(patient.status).toBe(200);
    const a = patient.body.data;
    expect(a).toMatchObject({ mode: 'patient', found: true, requires_doctor_consultation: false, referral: null, index_state: 'ready', documents_pending: 0 });
    expect(a.sentences[0]!.text).toContain('Metformin 500 mg twice daily');
    expect(a.text).not.toContain('850');
    for (const s of a.sentences) expect(s.citations.length).toBeGreaterThan(0);
    expect(a.sources[0]).toMatchObject({ n: 1, document_id: docs.mine, document_type: 'consultation_note', date: '2026-03-10', page: 1 });
    expect(letter('500 mg')[0]!.slice(a.sources[0]!.start, a.sources[0]!.end)).toContain('Metformin 500 mg');

    const other = await chat(seed.otherPatientId, seed.tokens.stranger, { message: 'What dose of metformin is she on?' });
    expect(other.body.data).toMatchObject({ mode: 'doctor', found: true });
    expect(other.body.data.text).toContain('Metformin 850 mg twice daily');
    expect(other.body.data.text).not.toContain('500');
    expect(other.body.data.sources.every((s) => s.document_id === docs.theirs)).toBe(true);

    const doctor = await chat(seed.patientId, seed.tokens.doctor, { message: 'Latest potassium?', additional_context: 'on ramipril' });
    expect(doctor.body.data.mode).toBe('doctor');
    expect(doctor.body.data.text).toContain('potassium 4.2 mmol/L');
    expect(doctor.body.data.sources.map((s) => s.document_id)).toContain(docs.labs);
  });

  it('says the records do not contain what is not there', async () => {
    const r = await chat(seed.patientId, seed.tokens.patient, { message: 'What did my colonoscopy show?' });
    expect(r.body.data).toMatchObject({ found: false, sentences: [], sources: [], requires_doctor_consultation: false });
    expect(r.body.data.text).toMatch(/could not find anything about this in your records/);
  });

  it('streams delta events then done over SSE', async () => {
    const res = await fetch(`${app.url}/api/v1/patients/${seed.patientId}/chat`, {
      method: 'POST', headers: { authorization: `Bearer ${seed.tokens.patient}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message: 'What dose of metformin am I on?' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = [...(await res.text()).matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({ event: m[1]!, data: JSON.parse(m[2]!) as unknown }));
    expect(events.at(-1)!.event).toBe('done');
    const done = z.object({ text: z.string(), sources: z.array(z.object({ document_id: z.string() })) }).parse(events.at(-1)!.data);
    const deltas = events.slice(0, -1).map((e) => z.object({ text: z.string() }).parse(e.data).text);
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(done.text);
    expect(done.text).toContain('Metformin 500 mg');
  });

  it('answers an urgent message at once with the fixed referral and tells the care team on their WebSocket', async () => {
    const frames: unknown[] = [];
    const ws = new WebSocket(`${app.url.replace(/^http/, 'ws')}/api/v1/ws`, ['wardclerk.v1', seed.tokens.doctor]);
    await new Promise<void>((ready, fail) => {
      ws.on('message', (raw) => {
        const frame = z.object({ type: z.string() }).passthrough().parse(JSON.parse(String(raw)));
        if (frame.type === 'ready') ready();
        else frames.push(frame);
      });
      ws.once('error', fail);
    });
    try {
      const r = await chat(seed.patientId, seed.tokens.patient, { message: 'I have crushing chest pain right now' });
      expect(r.body.data).toMatchObject({ text: EMERGENCY_REFERRAL, requires_doctor_consultation: true, found: false, sources: [], referral: { reason: 'URGENT_SYMPTOM', urgency: 'emergency' } });
      const Frame = z.object({ type: z.literal('event'), event: z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) }) });
      const deadline = Date.now() + 10_000;
      let referral: z.infer<typeof Frame> | undefined;
      while (!referral && Date.now() < deadline) {
        referral = frames.map((f) => Frame.safeParse(f)).find((p) => p.success && p.data.event.type === 'chat.referral')?.data;
        if (!referral) await new Promise((r) => setTimeout(r, 50));
      }
      expect(referral?.event.data).toEqual({ patient_id: seed.patientId, reason: 'URGENT_SYMPTOM', urgency: 'emergency' });
      expect(JSON.stringify(referral)).not.toContain('chest');
    } finally {
      ws.terminate();
    }
  });

  it('is in the OpenAPI document: chat and the conversation routes', async () => {
    const spec = await call<{ paths: Record<string, Record<string, unknown>> }>(`${app.url}/api/v1/openapi.json`);
    expect(Object.keys(spec.body.paths['/api/v1/patients/{id}/chat'] ?? {})).toEqual(['post']);
    expect(Object.keys(spec.body.paths['/api/v1/patients/{id}/conversations'] ?? {})).toEqual(['get']);
    expect(Object.keys(spec.body.paths['/api/v1/patients/{id}/conversations/{conversation_id}'] ?? {}).sort()).toEqual(['delete', 'get']);
  });

  it('refuses bad bodies with coded 400s, other roles with 403, and hides the patient from an unassigned doctor', async () => {
    for (const body of [{}, { message: '' }, { message: '   ' }, { message: 'x'.repeat(50_000) }, { message: 'hi', extra: 1 }, { message: 42 }]) {
      const r = await chat<ErrorAnswer>(seed.patientId, seed.tokens.patient, body);
      expect([r.status, r.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const ctx = await chat<ErrorAnswer>(seed.patientId, seed.tokens.patient, { message: 'my dose?', additional_context: 'x' });
    expect([ctx.status, ctx.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const nurse = await chat<ErrorAnswer>(seed.patientId, seed.tokens.nurse, { message: 'metformin dose?' });
    expect([nurse.status, nurse.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const stranger = await chat<ErrorAnswer>(seed.patientId, seed.tokens.stranger, { message: 'metformin dose?' });
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const none = await call<ErrorAnswer>(`${app.url}/api/v1/patients/${seed.patientId}/chat`, { method: 'POST', json: { message: 'hi' } });
    expect(none.status).toBe(401);
  });

  it("stores each turn in the caller's own conversation, sealed: continued, listed, read and deleted by its owner only; nothing in plaintext on disk", async () => {
    const conv = (path: string): string => `${app.url}/api/v1/patients/${seed.patientId}/conversations${path}`;
    const first = await chat(seed.patientId, seed.tokens.doctor, { message: `Metformin dose? ${MARKER}` });
    const id = first.body.data.conversation_id;
    expect(id).toMatch(/^cnv_/);
    const second = await chat(seed.patientId, seed.tokens.doctor, { message: 'And the potassium?', conversation_id: id });
    expect(second.body.data.conversation_id).toBe(id);
    const read = await call<Envelope<Conversation>>(conv(`/${id}`), { token: seed.tokens.doctor });
    expect(read.status).toBe(200);
    expect(read.body.data.turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(read.body.data.turns[0]!.text).toContain(MARKER);
    expect(read.body.data.turns[1]!.text).toBe(first.body.data.text);
    expect(read.body.data.turns[1]!.sources).toEqual(first.body.data.sources);
    const list = await call<Envelope<ConversationPage>>(conv(''), { token: seed.tokens.doctor });
    expect(list.body.data.items.map((i) => i.conversation_id)).toContain(id);
    expect(list.body.data.items.find((i) => i.conversation_id === id)).toMatchObject({ mode: 'doctor', turns: 4 });
    // The patient has conversations of their own about the same record, never the doctor's thread.
    const patients = await call<Envelope<ConversationPage>>(conv(''), { token: seed.tokens.patient });
    expect(patients.body.data.items.length).toBeGreaterThan(0);
    expect(patients.body.data.items.map((i) => i.conversation_id)).not.toContain(id);
    for (const r of [
      await call<ErrorAnswer>(conv(`/${id}`), { token: seed.tokens.patient }),
      await chat<ErrorAnswer>(seed.patientId, seed.tokens.patient, { message: 'my dose?', conversation_id: id }),
      await call<ErrorAnswer>(conv(`/${id}`), { method: 'DELETE', token: seed.tokens.patient }),
      await call<ErrorAnswer>(conv('/cnv_nope'), { token: seed.tokens.doctor }),
    ]) expect([r.status, r.body.error.code, r.body.error.details?.resource]).toEqual([404, 'NOT_FOUND', 'conversation']);

    await whileStopped(app, ['worker', 'gateway'], () => expectNowhereOnDisk(app, [MARKER]));
    expect(app.logs()).not.toContain(MARKER);

    const del = await call<Envelope<{ deleted: boolean }>>(conv(`/${id}`), { method: 'DELETE', token: seed.tokens.doctor });
    expect(del.status).toBe(200);
    const gone = await call<ErrorAnswer>(conv(`/${id}`), { token: seed.tokens.doctor });
    expect(gone.status).toBe(404);
  }, 90_000);

  it('gives the doctor the patient summary stats (conditions, medications with dose, latest labs with dates, last consultation), never the patient', async () => {
    const doctor = await chat(seed.patientId, seed.tokens.doctor, { message: 'Metformin dose?' });
    const stats = doctor.body.data.patient_summary_stats;
    expect(stats).toBeDefined();
    expect(stats!.age).toBeNull(); // the seeded patient has no birth date
    expect(stats!.last_consultation).toBe('2026-03-10');
    expect(stats!.active_conditions.map((c) => c.display).join()).toMatch(/diabetes/i);
    expect(stats!.active_medications.find((m) => /metformin/i.test(m.name))?.dose).toMatch(/500 mg/);
    expect(stats!.latest_labs.find((l) => /a1c/i.test(l.text))).toMatchObject({ value: 8.1, date: '2026-03-01' });
    const patient = await chat(seed.patientId, seed.tokens.patient, { message: 'What dose of metformin am I on?' });
    expect(patient.body.data.mode).toBe('patient');
    expect(Object.keys(patient.body.data)).not.toContain('patient_summary_stats');
    const spec = await call<{ components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>(`${app.url}/api/v1/openapi.json`);
    expect(Object.keys(spec.body.components.schemas.ChatAnswer?.properties ?? {})).toContain('patient_summary_stats');
  });

  it('answers from what is indexed while a document is still in the pipeline, and says so', async () => {
    await chat(seed.patientId, seed.tokens.patient, { message: 'What dose of metformin am I on?' }); // the index is loaded
    await app.stop('worker');
    let pendingId = '';
    try {
      pendingId = await uploadText(app.url, seed.patientId, seed.tokens.doctor, ['Consultation note\n\nPlan:\nStart atorvastatin 20 mg at night.'], 'consultation_note');
      const building = await chat(seed.patientId, seed.tokens.patient, { message: 'What dose of metformin am I on?' });
      expect(building.body.data).toMatchObject({ found: true, index_state: 'building', documents_pending: 1 });
      expect(building.body.data.sentences[0]!.text).toContain('Metformin 500 mg twice daily');
      expect(building.body.data.text).toMatch(/Some of your records are still being processed, so this answer may be incomplete\.$/);
      const none = await chat(seed.patientId, seed.tokens.doctor, { message: 'Any atorvastatin?' });
      expect(none.body.data).toMatchObject({ found: false, index_state: 'building' });
      expect(none.body.data.text).toMatch(/do not contain .* still being indexed/);
    } finally {
      await app.start('worker');
    }
    await settled(app.url, seed.patientId, pendingId, seed.tokens.doctor);
    const ready = await chat(seed.patientId, seed.tokens.doctor, { message: 'Any atorvastatin?' });
    expect(ready.body.data).toMatchObject({ found: true, index_state: 'ready', documents_pending: 0 });
    expect(ready.body.data.text).toContain('atorvastatin 20 mg at night');
  }, 90_000);

  it('answers a short follow-up ("and the one before that?") about the question before it in the same conversation', async () => {
    const older = await indexedText(app.url, seed.patientId, seed.tokens.doctor, ['Laboratory report\n\nLABS:\nHbA1c 7.4 % (high).'], 'lab_report', '2025-09-01');
    const latest = await chat(seed.patientId, seed.tokens.patient, { message: 'what is my latest HbA1c?' });
    expect(latest.body.data.text).toContain('8.1');
    expect(latest.body.data.text).not.toContain('7.4');
    const before = await chat(seed.patientId, seed.tokens.patient, { message: 'and the one before that?', conversation_id: latest.body.data.conversation_id });
    expect(before.body.data).toMatchObject({ found: true, conversation_id: latest.body.data.conversation_id });
    expect(before.body.data.text).toContain('7.4');
    expect(before.body.data.text).not.toContain('8.1');
    expect(before.body.data.sources.map((s) => s.document_id)).toContain(older);
    // Asked on its own, the same words are about nothing.
    const alone = await chat(seed.patientId, seed.tokens.patient, { message: 'and the one before that?' });
    expect(alone.body.data.found).toBe(false);
  }, 90_000);
});
