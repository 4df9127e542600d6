/**
 * Runs `extractClinical` over the gold set and scores it (rules in score.ts). Returns a JSON-able
 * report: per-field precision/recall/F1 (or accuracy), the same per tag, and the issue's
 * thresholds with pass/fail.
 */
import { extractClinical } from '../../engine/clinical/extract.js';
import { sameDrugName } from '../../engine/clinical/medications/score-medications.js';
import type { Extraction } from '../../core/clinical/extraction.js';
import { type GoldCase, type GoldMedication, loadGold } from './load-gold.js';
import {
  type Accuracy, type Tally, acc, accuracy, addTally, pair, prf, scoreAssertions, scoreConditionCodes, scoreDoctor, scoreField, scoreMultiset,
  scoreObservations, tally,
} from './score.js';

export const DOSAGE_FIELDS = ['strength', 'form', 'route', 'dose', 'frequency', 'duration', 'as_needed'] as const;

/** Fields of the newer annotation format, scored only in snippets whose gold uses them. */
export const STATUS_FIELDS = ['status', 'dispense_quantity', 'refills'] as const;

export const THRESHOLDS = {
  'medication.name': 0.97,
  ...Object.fromEntries(DOSAGE_FIELDS.map((f) => [`medication.${f}`, 0.95])),
  conditions: 0.93,
  assertion: 0.95,
  observations: 0.95,
} as Record<string, number>;

interface Bucket { tallies: Map<string, Tally>; accs: Map<string, Accuracy> }

const bucket = (): Bucket => ({ tallies: new Map(), accs: new Map() });

function addT(b: Bucket, field: string, t: Tally): void {
  let cur = b.tallies.get(field);
  if (!cur) { cur = tally(); b.tallies.set(field, cur); }
  addTally(cur, t);
}

function addA(b: Bucket, field: string, a: Accuracy): void {
  let cur = b.accs.get(field);
  if (!cur) { cur = accuracy(); b.accs.set(field, cur); }
  cur.correct += a.correct; cur.total += a.total;
}

/**
 * Pairs a gold and a found medication: by RxCUI when both have one, else by name (see
 * sameDrugName: combinations as ingredient sets, a kept salt pairs with its bare ingredient).
 */
export function sameMed(g: GoldMedication, p: { name: string; rxcui: string | null }): boolean {
  if (g.rxcui && p.rxcui) return g.rxcui === p.rxcui;
  return sameDrugName(g.name, p.name);
}

/** Scores one case into the given buckets. */
export function scoreCase(c: GoldCase, x: Extraction, buckets: Bucket[]): void {
  const e = c.expected;
  const each = (fn: (b: Bucket) => void): void => buckets.forEach(fn);
  if (e.medications) {
    const r = pair(e.medications, x.medications, sameMed);
    each((b) => addT(b, 'medication.name', { tp: r.pairs.length, fp: r.predOnly.length, fn: r.goldOnly.length }));
    for (const f of DOSAGE_FIELDS) {
      // A field no gold medication of the snippet annotates is not scored, not even on extra drugs
      // (those already count against the name).
      if (e.medications.length > 0 && !e.medications.some((g) => f in g)) continue;
      const t = tally();
      for (const [g, p] of r.pairs) if (f in g) addTally(t, scoreField(g[f], p[f]));
      for (const g of r.goldOnly) if (f in g) addTally(t, scoreField(g[f], undefined));
      for (const p of r.predOnly) addTally(t, scoreField(undefined, p[f]));
      each((b) => addT(b, `medication.${f}`, t));
    }
    for (const f of STATUS_FIELDS) {
      if (!e.medications.some((g) => f in g)) continue;
      const t = tally();
      const get = (p: Extraction['medications'][number]): unknown => p[f] ?? null;
      for (const [g, p] of r.pairs) if (f in g) addTally(t, scoreField(g[f], get(p)));
      for (const g of r.goldOnly) if (f in g) addTally(t, scoreField(g[f], undefined));
      for (const p of r.predOnly) addTally(t, scoreField(undefined, get(p)));
      each((b) => addT(b, `medication.${f}`, t));
    }
  }
  if (e.diseases) {
    const pred = x.diseases.filter((d) => d.code?.code).map((d) => ({ code: d.code!.code!, assertion: d.assertion }));
    each((b) => addT(b, 'conditions', scoreConditionCodes(e.diseases!.map((d) => d.code), pred.map((p) => p.code))));
    each((b) => addA(b, 'assertion', scoreAssertions(e.diseases!, pred)));
  }
  if (e.observations) {
    const pred = x.observations.map((o) => ({ loinc: o.code.code ?? '', value: o.value, unit: o.unit }));
    const r = scoreObservations(e.observations, pred);
    each((b) => { addT(b, 'observations', r.t); addA(b, 'observations.unit', r.unit); });
  }
  if (e.doctor !== undefined) each((b) => addT(b, 'doctor', scoreDoctor(e.doctor ?? null, x.doctor)));
  if (e.sections) each((b) => addT(b, 'sections', scoreMultiset(e.sections!.map((s) => s.kind), x.sections.map((s) => s.kind))));
}

function summarise(b: Bucket): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, t] of [...b.tallies].sort()) out[k] = prf(t);
  for (const [k, a] of [...b.accs].sort()) out[k] = acc(a);
  return out;
}

export interface EvalReport {
  cases: number;
  files: string[];
  fields: Record<string, unknown>;
  tags: Record<string, Record<string, number>>;
  /** F1 (or accuracy) per field for each file, keyed by file name without `.jsonl`. */
  by_file: Record<string, Record<string, number>>;
  thresholds: Record<string, { target: number; value: number | null; pass: boolean }>;
  failures: Array<{ id: string; field: string }>;
}

/**
 * Runs the gold set, or only the files whose names start with one of `options.files` ("blind2"),
 * leaving out those that start with one of `options.exclude`.
 */
export function runEval(options: { files?: string[]; exclude?: string[] } = {}): EvalReport {
  const loaded = loadGold(undefined, options.files ?? []);
  const skip = (f: string | undefined): boolean => (options.exclude ?? []).some((p) => (f ?? '').startsWith(p));
  const files = loaded.files.filter((f) => !skip(f));
  const cases = loaded.cases.filter((c) => !skip(c.file));
  const all = bucket();
  const byTag = new Map<string, Bucket>();
  const byFile = new Map<string, Bucket>();
  const failures: EvalReport['failures'] = [];
  for (const c of cases) {
    const x = extractClinical(c.text);
    const own = bucket();
    const tagBuckets = c.tags.map((t) => { let b = byTag.get(t); if (!b) { b = bucket(); byTag.set(t, b); } return b; });
    const fileKey = (c.file ?? '').replace(/\.jsonl$/, '');
    let fileBucket = byFile.get(fileKey);
    if (!fileBucket) { fileBucket = bucket(); byFile.set(fileKey, fileBucket); }
    scoreCase(c, x, [all, own, fileBucket, ...tagBuckets]);
    for (const [field, t] of own.tallies) if (t.fp + t.fn > 0) failures.push({ id: c.id, field });
    for (const [field, a] of own.accs) if (a.correct < a.total) failures.push({ id: c.id, field });
  }
  const fields = summarise(all);
  const tags: EvalReport['tags'] = {};
  for (const [tag, b] of [...byTag].sort()) {
    tags[tag] = {};
    for (const [k, t] of b.tallies) tags[tag]![k] = prf(t).f1;
    for (const [k, a] of b.accs) tags[tag]![k] = acc(a).accuracy;
  }
  const by_file: EvalReport['by_file'] = {};
  for (const [file, b] of [...byFile].sort()) {
    by_file[file] = {};
    for (const [k, t] of [...b.tallies].sort()) by_file[file]![k] = prf(t).f1;
    for (const [k, a] of [...b.accs].sort()) by_file[file]![k] = acc(a).accuracy;
  }
  const thresholds: EvalReport['thresholds'] = {};
  for (const [k, target] of Object.entries(THRESHOLDS)) {
    const f = fields[k] as { f1?: number; accuracy?: number } | undefined;
    const value = f ? (f.f1 ?? f.accuracy ?? null) : null;
    thresholds[k] = { target, value, pass: value !== null && value >= target };
  }
  return { cases: cases.length, files, fields, tags, by_file, thresholds, failures };
}
