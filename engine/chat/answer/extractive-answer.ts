/**
 * The model-free answerer (issue 9, the default): from the passages retrieved for a question it
 * picks the best-supported units — medication lines with their doses, lab rows with their value,
 * flag, reference range and date, sentences naming conditions with their status — keeps the
 * latest of each fact (the earliest when the question asks for the first, the one before it for
 * "the one before that"), and writes them as a short answer in which every sentence cites its
 * passage. Nothing is written that is not in a
 * passage: when no unit scores `minScore`, the answer says the records do not contain it.
 *
 * Patient mode reads the best 5 passages, writes at most 4 sentences and rewrites them in plain
 * words; doctor mode reads 10, writes at most 6 and keeps the clinical terms.
 */
import { extractClinical } from '../../clinical/extract.js';
import { toPlainLanguage } from '../glossary/plain-language.js';
import type { AnswerPassage, AnswerSentence, AnswerSource, ChatAnswer, ChatMode } from './chat-answer.js';
import { withCitations } from './chat-answer.js';
import { groundingCheck } from './grounding-check.js';
import { type PassageUnit, passageUnits } from './passage-units.js';
import { type QueryProfile, queryProfile } from './query-profile.js';
import { indexTerms } from '../../retrieval/clinical-tokens.js';
import { sentenceFacts } from './answer-facts.js';

export interface ExtractiveOptions {
  /** A unit is relevant from this score (sum of matched term weights plus intent and date bonuses). Default 1. */
  minScore?: number;
  maxPassages?: number;
  maxSentences?: number;
}

export interface ExtractiveInput {
  question: string;
  mode: ChatMode;
  /** Retrieved passages of one patient, best first. */
  passages: readonly AnswerPassage[];
  options?: ExtractiveOptions;
}

export const NOT_IN_RECORDS: Record<ChatMode, string> = {
  patient: 'I could not find anything about this in your records, so I cannot answer it from them.',
  doctor: "The patient's indexed records do not contain information that answers this question.",
};

const DEFAULTS: Record<ChatMode, Required<ExtractiveOptions>> = {
  patient: { minScore: 1, maxPassages: 5, maxSentences: 4 },
  doctor: { minScore: 1, maxPassages: 10, maxSentences: 6 },
};
/** The share of passage rank in a unit's order (the best passage's units gain this much). */
const RANK_WEIGHT = 0.1;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Candidate {
  passage: AnswerPassage;
  unit: PassageUnit;
  /** The sentence as it will be said (clinical words). */
  text: string;
  /** How well the unit matches the question (what `minScore` is compared with). */
  relevance: number;
  /** Relevance plus a share for the passage's retrieval rank: the order of the answer. */
  score: number;
  /** What the unit is a value of: `obs:<LOINC>`, `med:<name>`; a newer unit with all of them supersedes it. */
  keys: string[];
  date: string;
}

/** A short cited answer to `question` from `passages`, or the not-in-records answer. */
export function extractiveAnswer(input: ExtractiveInput): ChatAnswer {
  const opts = { ...DEFAULTS[input.mode], ...input.options };
  const profile = queryProfile(input.question);
  const passages = input.passages.slice(0, opts.maxPassages);
  const candidates = passages.flatMap((p, rank) => candidatesOf(p, rank, profile)).filter((c) => c.relevance >= opts.minScore);
  const chosen = choose(candidates, profile, opts.maxSentences);
  if (chosen.length === 0) return notFound(input.mode);

  const sources: AnswerSource[] = [];
  const numberOf = new Map<string, number>();
  const sentences: AnswerSentence[] = chosen.map((c) => {
    let n = numberOf.get(c.passage.chunkId);
    if (n === undefined) {
      n = sources.length + 1;
      numberOf.set(c.passage.chunkId, n);
      sources.push(sourceOf(c.passage, n));
    }
    return { text: c.text, citations: [n] };
  });
  const cited = sources.map((s) => {
    const p = passages.find((x) => x.chunkId === s.chunk_id)!;
    return { text: p.passage, title: p.docTitle, date: p.clinicalDate };
  });
  const checked = groundingCheck(sentences, cited);
  if (checked.kept.length === 0) return { ...notFound(input.mode), grounding: { checked: sentences.length, dropped: checked.droppedCount } };
  const said = checked.kept.map((s) => (input.mode === 'patient' ? { ...s, text: toPlainLanguage(s.text) } : s));
  return finish(said, sources, { checked: sentences.length, dropped: checked.droppedCount });
}

function finish(sentences: AnswerSentence[], allSources: AnswerSource[], grounding: ChatAnswer['grounding']): ChatAnswer {
  // Renumber so that the sources are exactly those cited, in order of first citation.
  const renumber = new Map<number, number>();
  const sources: AnswerSource[] = [];
  const out = sentences.map((s) => ({
    text: s.text,
    citations: s.citations.map((n) => {
      let m = renumber.get(n);
      if (m === undefined) {
        m = sources.length + 1;
        renumber.set(n, m);
        sources.push({ ...allSources[n - 1]!, n: m });
      }
      return m;
    }),
  }));
  return { text: out.map(withCitations).join(' '), sentences: out, sources, found: true, requires_doctor_consultation: false, grounding };
}

function notFound(mode: ChatMode): ChatAnswer {
  return { text: NOT_IN_RECORDS[mode], sentences: [], sources: [], found: false, requires_doctor_consultation: false, grounding: { checked: 0, dropped: 0 } };
}

function sourceOf(p: AnswerPassage, n: number): AnswerSource {
  return { n, document_id: p.docId, document_title: p.docTitle, document_type: p.docType, date: p.clinicalDate, page: p.page, start: p.start, end: p.end, chunk_id: p.chunkId };
}

function candidatesOf(passage: AnswerPassage, rank: number, profile: QueryProfile): Candidate[] {
  const extraction = extractClinical(passage.passage);
  const inside = (u: PassageUnit, s: { start: number; end: number }): boolean => s.start >= u.start && s.end <= u.end;
  const date = passage.clinicalDate ?? '';
  return passageUnits(passage.passage).map((unit) => {
    const meds = extraction.medications.filter((m) => inside(unit, m.span));
    const obs = extraction.observations.filter((o) => inside(unit, o.span));
    const conditions = extraction.diseases.filter((d) => inside(unit, d.span));
    const unitTerms = new Set(indexTerms(unit.header ? `${unit.header}\n${unit.text}` : unit.text));
    let score = 0;
    for (const [term, weight] of profile.terms) if (unitTerms.has(term)) score += weight;
    // A question that names its subject ("metformin") is answered by that subject; the kind of
    // fact asked for only ranks. A question that names none ("what medicines am I on?") is
    // answered by facts of that kind: medications with a dose, results with a value.
    const intentBonus = profile.named ? 0.5 : 1;
    if (profile.intents.has('medication') && meds.some((m) => m.strength !== null || m.dose !== null || m.frequency !== null)) score += intentBonus;
    if (profile.intents.has('lab') && obs.some((o) => o.value !== null || o.value_string !== null)) score += intentBonus;
    if (profile.intents.has('condition') && conditions.some((d) => d.assertion === 'present')) score += intentBonus;
    if (score > 0 && date !== '' && (profile.dates.has(date) || profile.dates.has(date.slice(0, 7)))) score += 1;
    // Retrieval saw more than the words (concepts, embeddings, time): its rank orders the relevant
    // units, but never makes an irrelevant one relevant.
    const ordered = score + RANK_WEIGHT / (1 + rank);
    const keys = [...new Set([...obs.map((o) => `obs:${o.code.code ?? o.text}`), ...meds.map((m) => `med:${m.name.toLowerCase()}`)])];
    return { passage, unit, text: render(unit, passage.clinicalDate), relevance: score, score: ordered, keys, date };
  });
}

/**
 * Best first, without repeats, without units a newer (or, for "first", older) unit supersedes; for
 * "the one before that" (`stepsBack` n), each drug or test's n-th dated value back instead.
 */
function choose(candidates: Candidate[], profile: QueryProfile, max: number): Candidate[] {
  const earliest = profile.recency === 'earliest';
  const datesOf = new Map<string, string[]>();
  for (const c of candidates) {
    for (const k of c.keys) {
      const dates = datesOf.get(k) ?? [];
      if (c.date !== '' && !dates.includes(c.date)) dates.push(c.date);
      datesOf.set(k, dates);
    }
  }
  // The date each key is said at; a key with dated values but none that far back is not said.
  const target = (k: string): string | null | undefined => {
    const dates = [...datesOf.get(k)!].sort();
    if (!earliest) dates.reverse();
    return dates.length === 0 ? null : dates[profile.stepsBack];
  };
  const current = candidates.filter((c) => profile.dates.size > 0 || c.keys.length === 0 || c.keys.some((k) => {
    const t = target(k);
    return t === null || t === c.date;
  }));
  current.sort((a, b) => b.score - a.score || (earliest ? a.date.localeCompare(b.date) : b.date.localeCompare(a.date)));
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const c of current) {
    // The same words, or the same drug or test with the same numbers, is said once.
    const key = c.keys.length > 0 ? `${[...c.keys].sort().join()}|${sentenceFacts(c.text).numbers.join()}` : c.text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
    if (out.length === max) break;
  }
  return out;
}

function formatDate(iso: string | null): string | null {
  const m = iso === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : null;
}

const FLAGS: Record<string, string> = { H: 'high', L: 'low', HH: 'very high', LL: 'very low', '*': 'abnormal' };

/** The unit as a sentence: lab rows read out with their columns and date, list items under their header. */
function render(unit: PassageUnit, clinicalDate: string | null): string {
  const date = formatDate(clinicalDate);
  const plain = unit.text.replace(/^(?:[-•*·]|\d{1,2}[.)])\s+/, '').replace(/\s+/g, ' ').trim();
  if (unit.kind === 'row') {
    const cols = unit.columns ? Object.entries(unit.columns) : [];
    const get = (re: RegExp): string | undefined => cols.slice(1).find(([k]) => re.test(k))?.[1];
    const result = get(/result|value/i);
    let s = plain;
    if (result !== undefined) {
      const units = get(/unit/i);
      const flag = get(/flag/i);
      const range = get(/ref|range|normal/i);
      s = `${cols[0]![1]} ${result}${units ? ` ${units}` : ''}`;
      if (flag) s += ` (${FLAGS[flag] ?? flag})`;
      if (range) s += `, reference range ${range}`;
    }
    return date ? `${s}, on ${date}` : s;
  }
  if (unit.kind === 'item' && unit.header) return `${unit.header}: ${plain}`;
  return plain;
}

/**
 * Loads what the first answer would otherwise load (the clinical vocabularies, ~0.5 s): call once
 * at start so the first chat's time to first delta is that of any other.
 */
export function warmExtractiveAnswerer(): void {
  extractiveAnswer({
    question: 'metformin dose',
    mode: 'patient',
    passages: [{ chunkId: 'warm', passage: 'Metformin 500 mg twice daily. Type 2 diabetes.', docId: 'warm', docType: 'other', docTitle: '', clinicalDate: null, page: 1, start: 0, end: 46, section: { kind: 'preamble', title: '' }, score: 1 }],
  });
}
