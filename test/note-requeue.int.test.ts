/**
 * A note stored but never queued (the gateway died between storing it and publishing its job) is
 * processed after the next gateway start, exactly once. On the whole appliance in this process
 * (real nats-server, gateway, engine, worker): with the gateway stopped, the store is opened
 * directly and two notes are written as POST /notes writes them — one whose job never reached
 * JetStream, one whose job did (killed before its queue entry was removed). After the start both
 * are processed, each into one plan, each job stored on the notes stream once; a second start
 * queues nothing again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAMS } from '../core/contracts.js';
import { publishNoteJob } from '../gateway/care-plans/note-queue.js';
import { call, until, type Envelope, type Page } from './api-client.js';
import { startRequeueAppliance, type RequeueAppliance } from './requeue-appliance.js';

const NOTES = [
  'Metformin 500 mg tablet by mouth twice daily for 30 days.',
  'Amlodipine 5 mg tablet by mouth once daily for 30 days.',
];

interface NoteView { note_id: string; status: string; care_plan_id: string | null; job_id: string }
interface PlanView { care_plan_id: string; status: string }

let fx: RequeueAppliance;

beforeAll(async () => {
  fx = await startRequeueAppliance('note-requeue-test');
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

const notesStored = () => fx.storedOn(STREAMS.notes.name);

async function get<D>(path: string): Promise<D> {
  const r = await call<Envelope<D>>(`${fx.app.url}${path}`, { token: fx.seed.tokens.doctor });
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
  return r.body.data;
}

describe('a note stored but not queued', () => {
  it('is processed after the next gateway start, exactly once', async () => {
    const { app, seed, bus } = fx;
    const before = await notesStored();
    const store = await fx.openStore();
    const ids: string[] = [];
    try {
      for (const text of NOTES) {
        const { note } = await store.notes.create(seed.tenantId, {
          patient_id: seed.patientId, author: { kind: 'user', id: seed.userIds.doctor, role: 'doctor' }, text, source: 'text', ocr_confidence: null, note_date: '2026-12-02',
        });
        ids.push(note.note_id);
      }
      expect((await store.noteQueue.pending()).map((e) => e.note_id).sort()).toEqual([...ids].sort());
    } finally {
      await store.close();
    }
    // The second note's job made it to JetStream before the "crash"; the first one's never did.
    await publishNoteJob(bus.js, seed.tenantId, ids[1]!);
    expect(await notesStored()).toBe(before + 1);

    await app.start('gateway');
    const notes = await until(async () => {
      const all = await Promise.all(ids.map((id) => get<NoteView>(`/api/v1/patients/${seed.patientId}/notes/${id}`)));
      return all.every((n) => n.status !== 'pending') ? all : undefined;
    }, 30_000);
    for (const n of notes) expect(n.status).toBe('processed');
    // One job each on the stream: the second note's, published again at start, was de-duplicated.
    expect(await notesStored()).toBe(before + 2);
    // Each note settled once: its own plan, one plan per note (and its job counted once, below).
    const plans = (await get<Page<PlanView>>(`/api/v1/patients/${seed.patientId}/care-plans?limit=100`)).items;
    expect(plans.map((p) => p.care_plan_id).sort()).toEqual(notes.map((n) => n.care_plan_id).sort());
    expect(plans.filter((p) => p.status === 'active')).toHaveLength(1);

    // Nothing is left to queue: another start publishes nothing.
    await app.stop('gateway');
    const after = await fx.openStore();
    try {
      expect(await after.noteQueue.pending()).toEqual([]);
      for (const n of notes) expect(await after.notes.job(seed.tenantId, n.job_id)).toMatchObject({ total: 1, completed: 1, failed: 0 });
    } finally {
      await after.close();
    }
    await app.start('gateway');
    expect(await notesStored()).toBe(before + 2);
    expect((await get<Page<PlanView>>(`/api/v1/patients/${seed.patientId}/care-plans?limit=100`)).items).toHaveLength(2);
  }, 90_000);
});
