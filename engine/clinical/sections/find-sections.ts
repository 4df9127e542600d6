/**
 * Finds section headers and returns sections in text order. A section runs from its header to
 * the next header (or the end of the text). Recognised headers: "Alias:" at a line start or after
 * a sentence end, and whole lines written in capitals ("MEDICATIONS", "DISCHARGE MEDICATIONS:").
 * Unknown capitalised "HEADER:" lines become kind `other` so they still bound the previous section.
 */
import type { Section } from '../../../core/clinical/extraction.js';
import { SECTION_ALIASES, normaliseHeader } from './section-aliases.js';

interface Header { kind: Section['kind']; title: string; start: number; confidence: number }

const MAX_HEADER = 48;

/** Returns the sections of `text`, in order, non-overlapping. Never throws. */
export function findSections(text: string): Section[] {
  const headers: Header[] = [];
  let lineStart = 0;
  const n = text.length;
  while (lineStart <= n) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = n;
    scanLine(text, lineStart, lineEnd, headers);
    lineStart = lineEnd + 1;
  }
  const out: Section[] = [];
  for (let k = 0; k < headers.length; k++) {
    const h = headers[k]!;
    const end = k + 1 < headers.length ? headers[k + 1]!.start : n;
    let e = end;
    while (e > h.start && /\s/.test(text[e - 1]!)) e--;
    out.push({ kind: h.kind, title: h.title, span: { start: h.start, end: e }, confidence: h.confidence });
  }
  return out;
}

/**
 * A Markdown heading ("# Medications", "## Plan", a whole line in bold "**Assessment**"): its text
 * is looked up as an alias; an unknown one still bounds the section before it.
 */
const MARKDOWN_HEADING = /^[ \t]*(?:(#{1,6})[ \t]+(.+?)[ \t#]*|(\*\*|__)([^*_]+?)(?::)?\3:?)[ \t\r]*$/;

function markdownHeading(text: string, ls: number, le: number, headers: Header[]): boolean {
  const c = text.charCodeAt(ls + (text[ls] === ' ' || text[ls] === '\t' ? 1 : 0));
  if (c !== 35 && c !== 42 && c !== 95) return false; // '#', '*', '_'
  const line = text.slice(ls, le);
  const m = MARKDOWN_HEADING.exec(line);
  if (!m) return false;
  const title = (m[2] ?? m[4] ?? '').replace(/[:*_]+$/, '').trim();
  if (title === '' || title.length > MAX_HEADER) return false;
  const kind = SECTION_ALIASES.get(normaliseHeader(title));
  // A bold phrase that is not a known header is emphasis, not a heading; a "#" heading always is one.
  if (!kind && !m[1]) return false;
  const start = ls + line.indexOf(m[1] ?? m[3]!);
  headers.push({ kind: kind ?? 'other', title, start, confidence: kind ? 0.95 : 0.6 });
  return true;
}

function scanLine(text: string, ls: number, le: number, headers: Header[]): void {
  if (markdownHeading(text, ls, le, headers)) return;
  let s = ls;
  while (s < le && (text[s] === ' ' || text[s] === '\t' || text[s] === '#' || text[s] === '*' || text[s] === '\r')) s++;
  if (s >= le) return;
  // "Header:" possibly followed by content, at the line start and after sentence ends on the line.
  let from = s;
  let candidateStart = s;
  for (let guard = 0; guard < 8; guard++) {
    const colon = text.indexOf(':', from);
    if (colon < 0 || colon >= le) break;
    if (colon - candidateStart <= MAX_HEADER) {
      const raw = text.slice(candidateStart, colon);
      const kind = SECTION_ALIASES.get(normaliseHeader(raw));
      if (kind) {
        headers.push({ kind, title: raw.trim(), start: candidateStart, confidence: 0.95 });
      } else if (candidateStart === s && isCapsHeader(raw) && raw.replace(/[^A-Z]/g, '').length >= 4) {
        // Unknown headers need 4+ capitals so "BP:", "HR:" and "NPI:" stay values, not sections.
        headers.push({ kind: 'other', title: raw.trim(), start: candidateStart, confidence: 0.6 });
      }
    }
    // Next candidate: after a sentence end (". X" ) later on this line.
    const dot = findSentenceStart(text, colon + 1, le);
    if (dot < 0) break;
    candidateStart = dot;
    from = dot;
  }
  if (headers.length > 0 && headers[headers.length - 1]!.start >= s) return;
  // Whole line in capitals without a colon ("MEDICATIONS", "ASSESSMENT AND PLAN").
  const line = text.slice(s, le).trim();
  if (line.length >= 2 && line.length <= MAX_HEADER && isCapsHeader(line)) {
    const kind = SECTION_ALIASES.get(normaliseHeader(line));
    if (kind) headers.push({ kind, title: line, start: s, confidence: 0.9 });
  }
}

function isCapsHeader(raw: string): boolean {
  const t = raw.trim();
  if (t.length < 2 || !/^[A-Z][A-Z0-9 /&()'-]*$/.test(t)) return false;
  return /[A-Z]{2}/.test(t) && t.split(/\s+/).length <= 6;
}

function findSentenceStart(text: string, from: number, le: number): number {
  for (let i = from; i < le - 2; i++) {
    const c = text[i];
    if ((c === '.' || c === ';') && text[i + 1] === ' ') {
      let j = i + 1;
      while (j < le && text[j] === ' ') j++;
      const d = text.charCodeAt(j);
      if (d >= 65 && d <= 90) return j;
    }
  }
  return -1;
}
