/**
 * Drug vocabulary loader. The bundled `drugs.tsv` (format in README.md) is always loaded; more
 * files can be added by path without code changes: further TSVs in the same format, or RxNorm
 * release files (`RXNCONSO.RRF`, optionally with `RXNREL.RRF` to map brand names to ingredients).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WardClerkError } from '../../../core/errors.js';

export interface DrugEntry {
  /** Normalised ingredient name ("metformin", "lisinopril-hydrochlorothiazide"). */
  name: string;
  /** RxNorm ingredient RxCUI, or null when not known (and for combinations). */
  rxcui: string | null;
  /**
   * Where the entry came from: `curated` (drugs.tsv, drugs-curated.tsv), `medlineplus:a…`,
   * `mesh:D…`, `drugbank:DB…`; absent for RxNorm and older TSVs.
   */
  source?: string;
}

export interface DrugVocab {
  /** Lower-cased surface form (ingredient, brand or synonym) → entry. */
  terms: Map<string, DrugEntry>;
  /** Ingredient name → entry. */
  ingredients: Map<string, DrugEntry>;
  /**
   * Surface forms that are short or everyday words ("Pan", "Bandy"): they name a drug only with a
   * strength after them ("Pan 40") or a dose-form prefix before them ("Tab. Pan").
   */
  strict: Set<string>;
}

export const BUNDLED_DRUGS_TSV = fileURLToPath(new URL('./drugs.tsv', import.meta.url));
/** Hand-curated Indian and UK hospital brands (source `curated`). */
export const CURATED_DRUGS_TSV = fileURLToPath(new URL('./drugs-curated.tsv', import.meta.url));
/** Generated from MedlinePlus, MeSH and DrugBank by scripts/vocab/build-drug-vocab.ts. */
export const OPEN_DRUGS_TSV = fileURLToPath(new URL('./drugs-open.tsv', import.meta.url));
const ENGLISH_WORDS = fileURLToPath(new URL('./english-words.txt', import.meta.url));

let english: Set<string> | null = null;

/**
 * Lower-case everyday English words (SCOWL word list via Debian wamerican, minus drug names),
 * loaded once: never fuzzy-corrected into a drug, never joined by OCR split repair.
 */
export function everydayWords(): Set<string> {
  english ??= new Set(read(ENGLISH_WORDS).split('\n').filter((w) => w !== ''));
  return english;
}

let bundled: DrugVocab | null = null;

/**
 * Loads the bundled vocabulary plus `paths` (TSV in our format, RXNCONSO.RRF, RXNREL.RRF). Throws
 * CONFIG_INVALID on unreadable files. Without paths the bundled vocabulary is read once per process
 * and shared (about 25,000 names; treat it as read-only).
 */
export function loadDrugVocab(paths: string[] = []): DrugVocab {
  if (paths.length === 0) {
    bundled ??= buildDrugVocab([]);
    return bundled;
  }
  return buildDrugVocab(paths);
}

function buildDrugVocab(paths: string[]): DrugVocab {
  const vocab: DrugVocab = { terms: new Map(), ingredients: new Map(), strict: new Set() };
  addTsv(vocab, read(BUNDLED_DRUGS_TSV));
  addTsv(vocab, read(CURATED_DRUGS_TSV));
  addTsv(vocab, read(OPEN_DRUGS_TSV));
  const rel = paths.find((p) => /rxnrel\.rrf$/i.test(basename(p)));
  for (const p of paths) {
    if (p === rel) continue;
    if (/rxnconso\.rrf$/i.test(basename(p))) addRxnconso(vocab, read(p), rel ? read(rel) : null);
    else addTsv(vocab, read(p));
  }
  return vocab;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new WardClerkError('CONFIG_INVALID', 'drug vocabulary file cannot be read', { details: { path }, cause });
  }
}

function addTerm(vocab: DrugVocab, term: string, entry: DrugEntry, curated = false): void {
  const marked = term.startsWith('^');
  const key = (marked ? term.slice(1) : term).trim().toLowerCase();
  if (key.length < 2) return;
  // Earlier files win for a surface form: the curated list beats a bulk release.
  if (vocab.terms.has(key)) return;
  vocab.terms.set(key, entry);
  // A short brand or one that is an English word needs a strength or dose form beside it.
  // An abbreviation written in capitals in the curated file ("ORS", "HCQS", "GTN") is not a word and stays plain.
  const abbreviation = /^[A-Z]{3,}$/.test(term.trim());
  if (marked || (curated && /^[a-z]+$/.test(key) && ((key.length < 5 && !abbreviation) || everydayWords().has(key)))) vocab.strict.add(key);
}

/**
 * Adds TSV rows `name<TAB>rxcui<TAB>brand|brand<TAB>synonym|synonym[<TAB>source]`; `#` starts a
 * comment line. A term written `^Pan` is strict (see DrugVocab.strict); in rows whose source is
 * `curated`, short or everyday-word terms are strict too. Rows without a source count as curated.
 */
export function addTsv(vocab: DrugVocab, text: string): void {
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [name = '', rxcui = '', brands = '', synonyms = '', source = ''] = line.split('\t');
    const n = name.trim().toLowerCase();
    if (n === '') continue;
    const src = source.trim() === '' ? 'curated' : source.trim();
    let entry = vocab.ingredients.get(n);
    if (!entry) { entry = { name: n, rxcui: rxcui.trim() === '' ? null : rxcui.trim(), source: src }; vocab.ingredients.set(n, entry); }
    if (entry.rxcui === null && rxcui.trim() !== '') entry.rxcui = rxcui.trim();
    // Only the curated supplement's short brands turn strict; drugs.tsv abbreviations ("HCTZ") were checked by hand.
    const curated = source.trim() === 'curated';
    addTerm(vocab, n, entry, curated);
    for (const t of [...brands.split('|'), ...synonyms.split('|')]) if (t.trim() !== '') addTerm(vocab, t.trim(), entry, curated);
  }
}

/**
 * Adds RxNorm RXNCONSO rows (SAB=RXNORM, English): IN/PIN/MIN as ingredients, BN (brand names)
 * mapped to their ingredient through RXNREL `tradename_of`/`has_tradename` when given.
 */
export function addRxnconso(vocab: DrugVocab, conso: string, rel: string | null): void {
  const ingredientOf = new Map<string, string>();
  const names = new Map<string, { str: string; tty: string }>();
  for (const line of conso.split('\n')) {
    const f = line.split('|');
    if (f.length < 15 || f[11] !== 'RXNORM' || f[1] !== 'ENG') continue;
    const tty = f[12]!;
    if (tty === 'IN' || tty === 'PIN' || tty === 'MIN' || tty === 'BN') names.set(f[0]!, { str: f[14]!, tty });
  }
  if (rel) {
    for (const line of rel.split('\n')) {
      const f = line.split('|');
      if (f.length < 8 || (f[7] !== 'tradename_of' && f[7] !== 'has_tradename')) continue;
      const a = names.get(f[0]!); const b = names.get(f[4]!);
      if (a?.tty === 'BN' && b?.tty === 'IN') ingredientOf.set(f[0]!, f[4]!);
      if (b?.tty === 'BN' && a?.tty === 'IN') ingredientOf.set(f[4]!, f[0]!);
    }
  }
  for (const [cui, { str, tty }] of names) {
    if (tty === 'BN') continue;
    const n = str.toLowerCase();
    const entry = vocab.ingredients.get(n) ?? { name: n, rxcui: tty === 'IN' ? cui : null };
    vocab.ingredients.set(n, entry);
    addTerm(vocab, n, entry);
  }
  for (const [cui, { str, tty }] of names) {
    if (tty !== 'BN') continue;
    const inCui = ingredientOf.get(cui);
    const ing = inCui ? names.get(inCui) : undefined;
    if (!ing) continue;
    const entry = vocab.ingredients.get(ing.str.toLowerCase());
    if (entry) addTerm(vocab, str, entry);
  }
}
