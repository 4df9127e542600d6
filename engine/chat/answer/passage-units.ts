/**
 * Splits a retrieved passage into the units an extractive answer can quote: prose sentences,
 * list items (a medication line under "Current medication:") and table rows (a lab result with
 * its columns named from the table's header line). Headers are not units; they travel with the
 * units below them. Offsets are in the passage, so a unit maps back to its page range.
 */

export type UnitKind = 'sentence' | 'item' | 'row';

export interface PassageUnit {
  kind: UnitKind;
  /** As written, runs of spaces kept (rows need them); `passage.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** The nearest header above the unit in the passage ("Current medication"), or null. */
  header: string | null;
  /** For a row under a table header: header name → cell text. */
  columns: Record<string, string> | null;
}

interface Cell {
  text: string;
  start: number;
}

/** Sentence ends that are not: titles and common abbreviations before a full stop. */
const NOT_AN_END = /(?:\b(?:dr|mr|mrs|ms|prof|st|no|vs|approx|e\.g|i\.e|etc|ref|fig)|\b[a-z])\.$/i;
const LIST_MARKER = /^(?:[-•*·]|\d{1,2}[.)])\s+/;

/** Cells of a line split on runs of two or more spaces or tabs, with their offsets in the line. */
function cells(line: string): Cell[] {
  const out: Cell[] = [];
  for (const m of line.matchAll(/\S+(?: \S+)*/g)) out.push({ text: m[0], start: m.index });
  return out;
}

function isTableHeader(line: string, c: readonly Cell[]): boolean {
  return c.length >= 3 && /\b(?:result|value)s?\b/i.test(line) && /\b(?:ref|range|units?|flag)\b/i.test(line) && !/\d/.test(c[0]!.text) && !/\d/.test(c[1]!.text);
}

function isHeader(line: string): string | null {
  const t = line.trim();
  const colon = /^([A-Za-z][A-Za-z /&()'-]{1,48}):$/.exec(t);
  if (colon) return colon[1]!;
  if (/^[A-Z][A-Z /&()'-]{2,48}$/.test(t) && t.split(/\s+/).length <= 6) return t;
  return null;
}

/** Sentences of one prose line, with offsets in the line. */
function sentences(line: string): Cell[] {
  const out: Cell[] = [];
  let from = 0;
  for (const m of line.matchAll(/[.!?](?=\s+[A-Z0-9(])/g)) {
    const end = m.index + 1;
    if (NOT_AN_END.test(line.slice(Math.max(from, end - 8), end))) continue;
    out.push({ text: line.slice(from, end), start: from });
    from = end;
    while (line[from] === ' ') from++;
  }
  if (from < line.length) out.push({ text: line.slice(from), start: from });
  return out.filter((s) => s.text.trim() !== '');
}

/** The passage's quotable units in order. */
export function passageUnits(passage: string): PassageUnit[] {
  const units: PassageUnit[] = [];
  let header: string | null = null;
  // Columns of the last table header: kept over comment lines and block titles, as reports interleave them.
  let table: Cell[] | null = null;
  let offset = 0;
  for (const raw of passage.split('\n')) {
    const lineStart = offset;
    offset += raw.length + 1;
    const lead = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line === '') continue;
    const start = lineStart + lead;
    const c = cells(raw);
    if (isTableHeader(line, c)) {
      table = c;
      continue;
    }
    const title = isHeader(line);
    if (title !== null) {
      // A block title inside a table ("DIABETES") keeps the table's columns.
      header = title;
      continue;
    }
    if (c.length >= 2 && /\d/.test(line) && / {2,}|\t/.test(line)) {
      units.push({ kind: 'row', text: line, start, end: start + line.length, header, columns: table ? columnsOf(c, table) : null });
      continue;
    }
    if (LIST_MARKER.test(line) || (header !== null && !/[.!?]$/.test(line) && line.length <= 100)) {
      units.push({ kind: 'item', text: line, start, end: start + line.length, header, columns: null });
      continue;
    }
    for (const s of sentences(line)) {
      const text = s.text.trimEnd();
      units.push({ kind: 'sentence', text, start: start + s.start, end: start + s.start + text.length, header, columns: null });
    }
  }
  return units;
}

/** Each cell under the header column that starts nearest at or before it (empty columns are skipped). */
function columnsOf(row: readonly Cell[], head: readonly Cell[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cell of row) {
    let col = head[0]!;
    for (const h of head) if (h.start <= cell.start + 1) col = h;
    out[col.text] = out[col.text] === undefined ? cell.text : `${out[col.text]} ${cell.text}`;
  }
  return out;
}
