/**
 * The checkable facts of a sentence about a patient: numbers, dates and clinical concepts (drugs
 * and conditions, by concept id, so "Glucophage" and "metformin" are one fact). The grounding
 * check compares a sentence's facts with those of the passages it cites. Facts are PHI: they
 * stay in memory and are never logged.
 */
import { lookupConcepts } from '../../clinical/concept-lookup.js';

export interface SentenceFacts {
  /** Canonical numbers ("5.0" → "5", "1,200" → "1200"), outside dates and words ("HbA1c"). */
  numbers: string[];
  /** Each date as its possible readings (`YYYY-MM-DD` or `YYYY-MM`); 03/04/2024 has two. */
  dates: string[][];
  /** `rxnorm:…`, `drug:…`, `icd10cm:…`. */
  concepts: string[];
}

/** Everything a passage can ground: every number and date reading in it, and its concepts. */
export interface SourceFacts {
  numbers: Set<string>;
  dates: Set<string>;
  concepts: Set<string>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const DATE_PATTERNS: ReadonlyArray<{ re: RegExp; read: (m: RegExpMatchArray) => string[] }> = [
  { re: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, read: (m) => ymd(m[1]!, m[2]!, m[3]!) },
  { re: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b/g, read: (m) => [...ymd(year(m[3]!), m[2]!, m[1]!), ...ymd(year(m[3]!), m[1]!, m[2]!)] },
  { re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})\\b`, 'gi'), read: (m) => ymd(m[3]!, monthOf(m[2]!), m[1]!) },
  { re: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'), read: (m) => ymd(m[3]!, monthOf(m[1]!), m[2]!) },
  { re: new RegExp(`\\b${MONTH}\\s+(\\d{4})\\b`, 'gi'), read: (m) => [`${m[2]}-${monthOf(m[1]!)}`] },
];
const NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?/g;
const CITATION_MARKS = /\s*\[\d+\]/g;

function year(y: string): string {
  return y.length === 4 ? y : `20${y}`;
}

function monthOf(name: string): string {
  return String(MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1).padStart(2, '0');
}

/** The ISO reading of year, month, day, or none when it is no calendar date. */
function ymd(y: string, m: string, d: string): string[] {
  const mm = Number(m);
  const dd = Number(d);
  if (!(mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31)) return [];
  const date = new Date(Date.UTC(Number(y), mm - 1, dd));
  if (date.getUTCDate() !== dd) return [];
  return [`${y}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`];
}

/** "1,200" → "1200", "4,5" → "4.5", "5.0" → "5". */
export function canonicalNumber(raw: string): string {
  const n = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(raw) ? raw.replace(/,/g, '') : raw.replace(',', '.');
  return String(Number(n));
}

/** Dates found in `text`, with the text's ranges they cover. */
function findDates(text: string): Array<{ start: number; end: number; readings: string[] }> {
  const out: Array<{ start: number; end: number; readings: string[] }> = [];
  for (const { re, read } of DATE_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (out.some((d) => start < d.end && end > d.start)) continue;
      const readings = read(m);
      if (readings.length > 0) out.push({ start, end, readings: [...new Set(readings)] });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The facts a sentence states; citation marks ("[2]") are not facts. */
export function sentenceFacts(sentence: string): SentenceFacts {
  const text = sentence.replace(CITATION_MARKS, '');
  const dates = findDates(text);
  let blanked = text;
  for (const d of dates) blanked = blanked.slice(0, d.start) + ' '.repeat(d.end - d.start) + blanked.slice(d.end);
  const numbers: string[] = [];
  for (const m of blanked.matchAll(NUMBER)) {
    // A digit inside a word ("HbA1c", "G3b", "AE1") names something; it is not a value.
    if (/\p{L}/u.test(blanked[m.index - 1] ?? '')) continue;
    numbers.push(canonicalNumber(m[0]));
  }
  return { numbers: [...new Set(numbers)], dates: dates.map((d) => d.readings), concepts: [...new Set(lookupConcepts(text).map((c) => c.id))] };
}

/** What `text` (a passage, with its title and clinical date) can ground. */
export function sourceFacts(text: string, clinicalDate: string | null = null): SourceFacts {
  const numbers = new Set<string>();
  for (const m of text.matchAll(NUMBER)) numbers.add(canonicalNumber(m[0]));
  const dates = new Set<string>();
  const readings = findDates(text).flatMap((d) => d.readings);
  if (clinicalDate !== null) readings.push(clinicalDate);
  for (const r of readings) {
    dates.add(r);
    dates.add(r.slice(0, 7));
  }
  return { numbers, dates, concepts: new Set(lookupConcepts(text).map((c) => c.id)) };
}
