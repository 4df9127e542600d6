/**
 * Tier 2 of the documents pipeline: the clinical engine (`wc.engine.extract`) over the document's
 * text. The text is the pages joined by a blank line (PAGE_JOINER); it is sent in windows of whole
 * pages of at most WINDOW_CHARS (a page alone when longer), so a 300-page document is many
 * moderate requests, and each window's spans are shifted back to offsets in the whole text. Every
 * span is then located as a page and a range in that page's text (`locations`).
 */
import type { Bus } from '../core/bus.js';
import { contracts, type DocumentMessage } from '../core/contracts.js';
import type { Extraction, Span } from '../core/clinical/extraction.js';
import { PAGE_JOINER, type PageText, type SpanLocation } from '../core/documents/records.js';

/** Most characters of text in one extraction request (whole pages). */
export const WINDOW_CHARS = 60_000;

export interface AnalyzeDeps {
  bus: Bus;
  engineTimeoutMs: number;
}

interface Window {
  pages: PageText[];
  /** Offset of the window's first character in the whole text. */
  offset: number;
}

/** Consecutive pages in windows of at most `max` characters (joiners counted). */
export function windowsOf(pages: readonly PageText[], max = WINDOW_CHARS): Window[] {
  const out: Window[] = [];
  let offset = 0;
  let current: Window | null = null;
  let size = 0;
  for (const p of pages) {
    const add = (current ? PAGE_JOINER.length : 0) + p.text.length;
    if (current && size + add > max) {
      out.push(current);
      current = null;
    }
    if (!current) {
      current = { pages: [], offset };
      size = 0;
    }
    size += (current.pages.length ? PAGE_JOINER.length : 0) + p.text.length;
    current.pages.push(p);
    offset += p.text.length + PAGE_JOINER.length;
  }
  if (current) out.push(current);
  return out;
}

const shift = (s: Span, by: number): Span => ({ start: s.start + by, end: s.end + by });
const ARRAYS = ['sections', 'diseases', 'medications', 'observations', 'allergies'] as const;

/** `x` with every span moved `by` characters on. */
function shifted(x: Extraction, by: number): Extraction {
  if (by === 0) return x;
  return {
    ...x,
    sections: x.sections.map((s) => ({ ...s, span: shift(s.span, by) })),
    diseases: x.diseases.map((d) => ({ ...d, span: shift(d.span, by) })),
    medications: x.medications.map((m) => ({
      ...m, span: shift(m.span, by),
      spans: Object.fromEntries(Object.entries(m.spans).map(([k, s]) => [k, shift(s, by)])),
      ...(m.mentions ? { mentions: m.mentions.map((s) => shift(s, by)) } : {}),
    })),
    observations: x.observations.map((o) => ({ ...o, span: shift(o.span, by) })),
    allergies: x.allergies.map((a) => ({ ...a, span: shift(a.span, by) })),
    doctor: x.doctor ? { ...x.doctor, span: shift(x.doctor.span, by) } : null,
    ...(x.plan_steps ? { plan_steps: x.plan_steps.map((p) => ({ ...p, span: shift(p.span, by) })) } : {}),
  };
}

/** One extraction of the windows' extractions (already shifted): lists joined, the first prescriber kept. */
export function mergeExtractions(parts: Extraction[]): Extraction {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  const counts: Record<string, number> = {};
  const provenance: NonNullable<Extraction['provenance']> = [];
  for (const p of parts) {
    for (const e of p.provenance ?? []) {
      const m = /^(\w+)\[(\d+)\](.*)$/.exec(e.path);
      provenance.push(m ? { ...e, path: `${m[1]}[${Number(m[2]) + (counts[m[1]!] ?? 0)}]${m[3]}` } : e);
    }
    for (const k of ARRAYS) counts[k] = (counts[k] ?? 0) + p[k].length;
  }
  const warnings = new Map<string, Extraction['warnings'][number]>();
  for (const p of parts) for (const w of p.warnings) if (!warnings.has(w.code)) warnings.set(w.code, w);
  const steps = parts.flatMap((p) => p.plan_steps ?? []);
  return {
    ...first,
    latency_ms: parts.reduce((s, p) => s + p.latency_ms, 0),
    sections: parts.flatMap((p) => p.sections),
    diseases: parts.flatMap((p) => p.diseases),
    medications: parts.flatMap((p) => p.medications),
    observations: parts.flatMap((p) => p.observations),
    allergies: parts.flatMap((p) => p.allergies),
    doctor: parts.find((p) => p.doctor)?.doctor ?? null,
    warnings: [...warnings.values()],
    ...(first.provenance ? { provenance } : {}),
    ...(steps.length ? { plan_steps: steps.slice(0, 50) } : {}),
  };
}

/** Every span of `x` as a page and an in-page range (`starts[i]`: offset of page i+1 in the whole text). */
export function locate(x: Extraction, pages: readonly PageText[]): SpanLocation[] {
  const starts: number[] = [];
  let at = 0;
  for (const p of pages) {
    starts.push(at);
    at += p.text.length + PAGE_JOINER.length;
  }
  const out: SpanLocation[] = [];
  const put = (path: string, s: Span) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= s.start) lo = mid;
      else hi = mid - 1;
    }
    const len = pages[lo]!.text.length;
    const start = Math.min(s.start - starts[lo]!, len);
    out.push({ path, page: pages[lo]!.page, start, end: Math.min(Math.max(start, s.end - starts[lo]!), len) });
  };
  for (const k of ARRAYS) x[k].forEach((item, i) => put(`${k}[${i}]`, item.span));
  x.medications.forEach((m, i) => {
    for (const [field, s] of Object.entries(m.spans)) put(`medications[${i}].spans.${field}`, s);
  });
  if (x.doctor) put('doctor', x.doctor.span);
  (x.plan_steps ?? []).forEach((p, i) => put(`plan_steps[${i}]`, p.span));
  return out;
}

/** Runs the engine over the document's pages; `onWindow` is called after each request. */
export async function analyzeDocument(
  deps: AnalyzeDeps, ref: DocumentMessage, pages: readonly PageText[], ocrConfidence: number | null, onWindow: () => void = () => undefined,
): Promise<{ extraction: Extraction; locations: SpanLocation[] }> {
  const parts: Extraction[] = [];
  for (const w of windowsOf(pages)) {
    const text = w.pages.map((p) => p.text).join(PAGE_JOINER);
    if (text.trim() === '') continue; // blank pages (a scan's empty back sides): nothing to find
    const x = await deps.bus.request(
      contracts.engineExtract,
      { tenant_id: ref.tenant_id, text, ...(ocrConfidence === null ? {} : { ocr_confidence: ocrConfidence }) },
      { timeoutMs: deps.engineTimeoutMs },
    );
    parts.push(shifted(x, w.offset));
    onWindow();
  }
  if (parts.length === 0) throw new Error('analyzeDocument needs a page with text (ingest guarantees one)');
  const extraction = mergeExtractions(parts);
  return { extraction, locations: locate(extraction, pages) };
}
