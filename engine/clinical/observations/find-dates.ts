/**
 * Date recognition for observations ("on 03/14/2024", "(2024-03-14)", "14 Mar 2024",
 * "March 14, 2024", "today"). Numeric dates are read month-first (US) unless the first number
 * is above 12. Returns ISO YYYY-MM-DD strings via luxon; impossible dates give null.
 */
import { DateTime } from 'luxon';

const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december';

/** Matches one date; group names say which form. */
export const DATE_SOURCE = `(?:(?<iso>\\d{4}-\\d{1,2}-\\d{1,2})|(?<num>\\d{1,2}[/.]\\d{1,2}[/.](?:\\d{4}|\\d{2}))(?![\\d/])|(?<dmy>\\d{1,2}(?:st|nd|rd|th)? (?:${MONTHS})\\.?,? \\d{4})|(?<mdy>(?:${MONTHS})\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4})|(?<rel>today|yesterday))`;

const DATE_RE = new RegExp(DATE_SOURCE, 'i');

/** Parses the first date in `s`; null when none or invalid. */
export function parseDate(s: string, now?: Date): { iso: string; index: number; length: number } | null {
  const m = DATE_RE.exec(s);
  if (!m?.groups) return null;
  const g = m.groups;
  if (g.rel) return withIso(resolve(g, now), m);
  // Absolute dates are a pure function of the matched text; luxon is the slow part, so each
  // distinct date string is resolved once (notes repeat their dates line after line).
  const key = m[0];
  let iso = absoluteMemo.get(key);
  if (iso === undefined) {
    iso = resolve(g, now);
    if (absoluteMemo.size >= 4096) absoluteMemo.clear();
    absoluteMemo.set(key, iso);
  }
  return withIso(iso, m);
}

const absoluteMemo = new Map<string, string | null>();

function withIso(iso: string | null, m: RegExpExecArray): { iso: string; index: number; length: number } | null {
  return iso ? { iso, index: m.index, length: m[0].length } : null;
}

/** The ISO date of one match's groups, or null when invalid. */
function resolve(g: Record<string, string | undefined>, now: Date | undefined): string | null {
  let dt: DateTime | null = null;
  if (g.iso) dt = DateTime.fromFormat(g.iso, 'yyyy-M-d');
  else if (g.num) {
    const [a, b, c] = g.num.split(/[/.]/).map(Number) as [number, number, number];
    const year = c < 100 ? 2000 + c : c;
    const monthFirst = a <= 12;
    dt = DateTime.fromObject({ year, month: monthFirst ? a : b, day: monthFirst ? b : a });
  } else if (g.dmy) dt = fromWords(g.dmy, true);
  else if (g.mdy) dt = fromWords(g.mdy, false);
  else if (g.rel && now) {
    const base = DateTime.fromJSDate(now, { zone: 'utc' });
    dt = g.rel.toLowerCase() === 'today' ? base : base.minus({ days: 1 });
  }
  if (!dt || !dt.isValid) return null;
  return dt.toISODate();
}

function fromWords(s: string, dayFirst: boolean): DateTime | null {
  const parts = s.replace(/(\d)(st|nd|rd|th)/i, '$1').replace(/[.,]/g, '').split(/\s+/);
  const [p0, p1, p2] = parts as [string, string, string];
  const monthWord = dayFirst ? p1 : p0;
  const day = Number(dayFirst ? p0 : p1);
  const month = MONTHS.split('|').findIndex((m) => monthWord.toLowerCase().startsWith(m.slice(0, 3)));
  if (month < 0) return null;
  const idx = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(monthWord.toLowerCase().slice(0, 3));
  return DateTime.fromObject({ year: Number(p2), month: idx + 1, day });
}
