/**
 * Due dates of checklist steps, from the words of a note and the note's date: relative phrases
 * ("in 2 weeks", "after 10 days", "next week", "tomorrow", "review in 2/52") and calendar dates
 * ("on 15/12", "15th Dec 2026", "December 15"). Numeric dates are read day first (DD/MM), as
 * Indian and British notes write them, unless only the month-first reading is a valid date. A date
 * without a year is the next such date on or after the note's date. Pure; dates are ISO `YYYY-MM-DD`.
 */

/** A due date found in a sentence: the ISO date, the phrase, and where the phrase is (offsets in the sentence). */
export interface DueMatch {
  due: string;
  text: string;
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;
const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, few: 3, couple: 2,
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const QTY = '(\\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|a few|a couple of)';
const UNIT = '(days?|d|weeks?|wks?|months?|mths?)';

const PATTERNS: Array<{ re: RegExp; resolve(m: RegExpExecArray, base: number): number | null }> = [
  // "in 2 weeks", "after 10 days", "within a month", "in 3-4 days" (the earlier end)
  { re: new RegExp(`\\b(?:in|after|within|in another|after another)\\s+${QTY}(?:\\s*(?:-|to)\\s*\\d{1,3})?\\s*${UNIT}\\b`, 'i'), resolve: (m, b) => addUnits(b, qty(m[1]!), m[2]!) },
  // "2 weeks later", "10 days from now"
  { re: new RegExp(`\\b${QTY}\\s*${UNIT}\\s+(?:later|from now|from today|hence)\\b`, 'i'), resolve: (m, b) => addUnits(b, qty(m[1]!), m[2]!) },
  // "review in 2/52" (weeks), "1/12" (months), "5/7" (days): clinical shorthand, only after "in"/"after"
  { re: /\b(?:in|after)\s+(\d{1,2})\s*\/\s*(52|12|7)\b/i, resolve: (m, b) => addUnits(b, Number(m[1]), m[2] === '52' ? 'weeks' : m[2] === '12' ? 'months' : 'days') },
  { re: /\b(?:in\s+a|after\s+a)\s+fortnight\b/i, resolve: (_m, b) => b + 14 * DAY_MS },
  { re: /\bnext\s+(week|month)\b/i, resolve: (m, b) => addUnits(b, 1, m[1]!) },
  { re: /\btomorrow\b/i, resolve: (_m, b) => b + DAY_MS },
  { re: /\b(?:today|same day)\b/i, resolve: (_m, b) => b },
  // "on 15/12", "on 15-12-2026", "dated 15.12.26"
  { re: /\b(?:on|by|dated|before)\s+(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?\b/i, resolve: (m, b) => numericDate(m, b) },
  // "15th Dec", "15 December 2026"
  { re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_RE}\\.?(?:,?\\s+(\\d{4}))?\\b`, 'i'), resolve: (m, b) => calendarDate(b, Number(m[1]), monthIndex(m[2]!), m[3]) },
  // "Dec 15", "December 15th, 2026"
  { re: new RegExp(`\\b${MONTH_RE}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, 'i'), resolve: (m, b) => calendarDate(b, Number(m[2]), monthIndex(m[1]!), m[3]) },
];

function qty(word: string): number {
  const w = word.toLowerCase().replace(/^a (few|couple of)$/, '$1').replace(/ of$/, '');
  return /^\d+$/.test(w) ? Number(w) : (NUMBER_WORDS[w] ?? NaN);
}

function monthIndex(word: string): number {
  return MONTHS.indexOf(word.slice(0, 3).toLowerCase());
}

function addUnits(base: number, n: number, unit: string): number | null {
  if (!Number.isFinite(n) || n < 0 || n > 730) return null;
  const u = unit.toLowerCase();
  if (u.startsWith('d')) return base + n * DAY_MS;
  if (u.startsWith('w')) return base + n * 7 * DAY_MS;
  const d = new Date(base);
  return validUtc(d.getUTCFullYear(), d.getUTCMonth() + n, Math.min(d.getUTCDate(), daysIn(d.getUTCFullYear(), d.getUTCMonth() + n)));
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

function validUtc(year: number, month: number, day: number): number | null {
  const t = Date.UTC(year, month, day);
  const d = new Date(t);
  return d.getUTCDate() === day ? t : null;
}

function numericDate(m: RegExpExecArray, base: number): number | null {
  const a = Number(m[1]);
  const b = Number(m[2]);
  // Day first; month first only when day-first is impossible ("on 12/25").
  const [day, month] = b <= 12 ? [a, b] : a <= 12 ? [b, a] : [0, 0];
  if (day === 0) return null;
  return calendarDate(base, day, month - 1, m[3]);
}

function calendarDate(base: number, day: number, month: number, year: string | undefined): number | null {
  if (month < 0 || month > 11 || day < 1 || day > 31) return null;
  if (year !== undefined) {
    const y = year.length === 2 ? 2000 + Number(year) : Number(year);
    return validUtc(y, month, day);
  }
  const baseYear = new Date(base).getUTCFullYear();
  const sameYear = validUtc(baseYear, month, day);
  if (sameYear !== null && sameYear >= base) return sameYear;
  return validUtc(baseYear + 1, month, day);
}

/** Midnight UTC of an ISO date, or null when it is not one. */
export function isoDateMs(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? validUtc(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

/** The ISO date of a UTC-midnight instant. */
export function msToIsoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The first due phrase in `sentence` that resolves against `noteDate` (ISO date), or null.
 * Earliest position wins when several patterns match.
 */
export function findDue(sentence: string, noteDate: string): DueMatch | null {
  const base = isoDateMs(noteDate);
  if (base === null) return null;
  let best: DueMatch | null = null;
  for (const p of PATTERNS) {
    const m = p.re.exec(sentence);
    if (!m || (best !== null && m.index >= best.start)) continue;
    const t = p.resolve(m, base);
    if (t === null || t < base) continue;
    best = { due: msToIsoDate(t), text: m[0], start: m.index, end: m.index + m[0].length };
  }
  return best;
}
