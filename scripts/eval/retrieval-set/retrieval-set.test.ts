import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * Checks the hand-written retrieval evaluation set (issue 9): every patient file parses, ids are
 * unique, and every answer points at a real page whose text holds the quote exactly once, so the
 * quote's character range — which the scorer overlaps with retrieved chunks — is unambiguous.
 */

const SET_DIR = dirname(fileURLToPath(import.meta.url));
const DOC_TYPES = ['lab_report', 'discharge_summary', 'imaging_report', 'consultation_note', 'pathology_report', 'other'] as const;
const MIN_PATIENTS = 30;
const MIN_QUESTIONS = 150;

/** True for a real calendar day written YYYY-MM-DD (2023-02-30 is not one). */
function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const isoDate = z.string().refine(isIsoDate, 'not a valid ISO date');
const text = z.string().trim().min(1);

const recordSchema = z.strictObject({
  patient: z.strictObject({ id: text, name: text, birth_date: isoDate, sex: z.enum(['female', 'male']) }),
  documents: z.array(z.strictObject({
    doc_id: text,
    type: z.enum(DOC_TYPES),
    title: text,
    clinical_date: isoDate,
    pages: z.array(text).min(1),
  })),
  questions: z.array(z.strictObject({
    id: text,
    question: text,
    asker: z.enum(['patient', 'doctor']),
    answers: z.array(z.strictObject({ doc_id: text, page: z.number().int().min(1), quote: text })).min(1),
  })),
});

type RetrievalRecord = z.infer<typeof recordSchema>;
type ProblemCode =
  | 'SCHEMA' | 'FILE_NAME' | 'DOC_COUNT' | 'QUESTION_COUNT' | 'DUPLICATE_ID' | 'ID_PREFIX'
  | 'UNKNOWN_DOC' | 'PAGE_OUT_OF_RANGE' | 'QUOTE_NOT_FOUND' | 'QUOTE_AMBIGUOUS' | 'DATE_BEFORE_BIRTH';
interface Problem { file: string; code: ProblemCode; detail: string }
interface SetFile { file: string; data: unknown }

/** Every fault in a set of patient files; an empty list means the set is usable. */
function problemsIn(files: readonly SetFile[]): { problems: Problem[]; records: RetrievalRecord[] } {
  const problems: Problem[] = [];
  const records: RetrievalRecord[] = [];
  const seen = new Set<string>();
  const add = (file: string, code: ProblemCode, detail: string): void => { problems.push({ file, code, detail }); };
  const claim = (file: string, id: string): void => {
    if (seen.has(id)) add(file, 'DUPLICATE_ID', id);
    seen.add(id);
  };
  for (const { file, data } of files) {
    const parsed = recordSchema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(file, 'SCHEMA', `${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const rec = parsed.data;
    records.push(rec);
    const pid = rec.patient.id;
    if (file !== `${pid}.json`) add(file, 'FILE_NAME', pid);
    claim(file, pid);
    if (rec.documents.length < 3 || rec.documents.length > 6) add(file, 'DOC_COUNT', String(rec.documents.length));
    if (rec.questions.length < 5) add(file, 'QUESTION_COUNT', String(rec.questions.length));
    const docs = new Map(rec.documents.map((d) => [d.doc_id, d]));
    for (const d of rec.documents) {
      claim(file, d.doc_id);
      if (!d.doc_id.startsWith(`${pid}-`)) add(file, 'ID_PREFIX', d.doc_id);
      if (d.clinical_date < rec.patient.birth_date) add(file, 'DATE_BEFORE_BIRTH', d.doc_id);
    }
    for (const q of rec.questions) {
      claim(file, q.id);
      if (!q.id.startsWith(`${pid}-`)) add(file, 'ID_PREFIX', q.id);
      for (const a of q.answers) {
        const doc = docs.get(a.doc_id);
        if (!doc) { add(file, 'UNKNOWN_DOC', `${q.id} → ${a.doc_id}`); continue; }
        const page = doc.pages[a.page - 1];
        if (page === undefined) { add(file, 'PAGE_OUT_OF_RANGE', `${q.id} → ${a.doc_id} p${a.page}`); continue; }
        const at = page.indexOf(a.quote);
        if (at < 0) add(file, 'QUOTE_NOT_FOUND', `${q.id} → ${a.doc_id} p${a.page}`);
        else if (page.indexOf(a.quote, at + 1) >= 0) add(file, 'QUOTE_AMBIGUOUS', `${q.id} → ${a.doc_id} p${a.page}`);
      }
    }
  }
  return { problems, records };
}

function loadSet(): SetFile[] {
  return readdirSync(SET_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const data: unknown = JSON.parse(readFileSync(join(SET_DIR, file), 'utf8'));
      return { file, data };
    });
}

/** A small valid record, mutated below to show each check can fail. */
function sample(): RetrievalRecord {
  return {
    patient: { id: 'p99', name: 'Test Person', birth_date: '1950-01-31', sex: 'female' },
    documents: ['d1', 'd2', 'd3'].map((d) => ({
      doc_id: `p99-${d}`, type: 'lab_report' as const, title: `Doc ${d}`, clinical_date: '2024-02-29',
      pages: ['HbA1c 56 mmol/mol', 'Metformin 500 mg twice daily'],
    })),
    questions: [1, 2, 3, 4, 5].map((n) => ({
      id: `p99-q${n}`, question: 'What dose of metformin?', asker: 'patient' as const,
      answers: [{ doc_id: 'p99-d2', page: 2, quote: 'Metformin 500 mg' }],
    })),
  };
}

function codesFor(mutate: (r: RetrievalRecord) => unknown, file = 'p99.json'): ProblemCode[] {
  return problemsIn([{ file, data: mutate(sample()) }]).problems.map((p) => p.code);
}

describe('retrieval evaluation set', () => {
  const { problems, records } = problemsIn(loadSet());

  it('has every patient file well formed, with answers that are exact quotes of real pages', () => {
    expect(problems).toEqual([]);
  });

  it(`holds at least ${MIN_PATIENTS} patients and ${MIN_QUESTIONS} questions, asked by patients and doctors`, () => {
    expect(records.length).toBeGreaterThanOrEqual(MIN_PATIENTS);
    const questions = records.flatMap((r) => r.questions);
    expect(questions.length).toBeGreaterThanOrEqual(MIN_QUESTIONS);
    expect(questions.filter((q) => q.asker === 'patient').length).toBeGreaterThan(0);
    expect(questions.filter((q) => q.asker === 'doctor').length).toBeGreaterThan(0);
  });

  it('uses every document type and some multi-page documents', () => {
    const docs = records.flatMap((r) => r.documents);
    expect(new Set(docs.map((d) => d.type))).toEqual(new Set(DOC_TYPES));
    expect(docs.filter((d) => d.pages.length >= 2).length).toBeGreaterThanOrEqual(10);
  });

  it('has a README saying who wrote it and under what licence', () => {
    const readme = join(SET_DIR, 'README.md');
    expect(existsSync(readme)).toBe(true);
    expect(readFileSync(readme, 'utf8')).toMatch(/licen[cs]e/i);
  });
});

describe('set checks', () => {
  it('accept the valid sample', () => {
    expect(codesFor((r) => r)).toEqual([]);
  });

  it('reject a quote that is not on its page, or is there twice', () => {
    expect(codesFor((r) => { r.questions[0]!.answers[0]!.quote = 'Metformin 1 g'; return r; })).toEqual(['QUOTE_NOT_FOUND']);
    expect(codesFor((r) => { r.questions[0]!.answers[0] = { doc_id: 'p99-d1', page: 1, quote: 'm' }; return r; })).toEqual(['QUOTE_AMBIGUOUS']);
  });

  it('reject an answer naming a missing document or page', () => {
    expect(codesFor((r) => { r.questions[1]!.answers[0]!.doc_id = 'p99-d7'; return r; })).toEqual(['UNKNOWN_DOC']);
    expect(codesFor((r) => { r.questions[1]!.answers[0]!.page = 3; return r; })).toEqual(['PAGE_OUT_OF_RANGE']);
  });

  it('reject duplicate or foreign ids and a misnamed file', () => {
    expect(codesFor((r) => { r.questions[2]!.id = 'p99-q1'; return r; })).toEqual(['DUPLICATE_ID']);
    expect(codesFor((r) => { r.questions[2]!.id = 'p98-q3'; return r; })).toEqual(['ID_PREFIX']);
    expect(codesFor((r) => r, 'p98.json')).toEqual(['FILE_NAME']);
    const twice = problemsIn([{ file: 'p99.json', data: sample() }, { file: 'p99.json', data: sample() }]);
    expect(twice.problems.map((p) => p.code)).toContain('DUPLICATE_ID');
  });

  it('reject an unknown type or asker, an impossible date and a date before birth', () => {
    expect(codesFor((r) => ({ ...r, documents: r.documents.map((d, i) => (i === 0 ? { ...d, type: 'x_ray' } : d)) }))).toEqual(['SCHEMA']);
    expect(codesFor((r) => ({ ...r, questions: r.questions.map((q, i) => (i === 0 ? { ...q, asker: 'nurse' } : q)) }))).toEqual(['SCHEMA']);
    expect(codesFor((r) => { r.documents[0]!.clinical_date = '2023-02-29'; return r; })).toEqual(['SCHEMA']);
    expect(codesFor((r) => { r.patient.birth_date = '1950-1-31'; return r; })).toEqual(['SCHEMA']);
    expect(codesFor((r) => { r.documents[0]!.clinical_date = '1949-12-31'; return r; })).toEqual(['DATE_BEFORE_BIRTH']);
  });

  it('reject too few documents or questions', () => {
    expect(codesFor((r) => { r.documents.pop(); return r; })).toEqual(['DOC_COUNT']);
    expect(codesFor((r) => { r.questions.pop(); return r; })).toEqual(['QUESTION_COUNT']);
  });
});
