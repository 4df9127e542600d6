/**
 * The clinical tokeniser behind BM25, and the token count behind chunk sizes.
 *
 * `clinicalTerms` lower-cases (NFKC) and keeps what clinical text means by its form: decimals and
 * percentages whole ("7.8%" → `7.8%` and `7.8`), thousands joined ("1,200" → `1200`), compounds
 * whole and in parts ("mg/dL" → `mg/dl`, `mg`, `dl`; "co-amoxiclav"; "30/10/2023"), dotted
 * abbreviations folded ("b.d." → `bd`), "K+"/"HER2+" with their sign, "U&E" whole. Common English
 * function words are dropped and plain words get a light suffix folding (plurals, -ed, -ing), the
 * same on both sides, so "reduced" meets "reduce" and "oedema" meets "edema". Abbreviations
 * (≤ 3 letters) and anything with a digit are never folded. `indexTerms` adds the clinical concept
 * ids of the text (conditions, drugs: "heart attack" and "MI", a brand and its generic share one).
 */
import { lookupConcepts } from '../clinical/concept-lookup.js';


const STOPWORDS = new Set(
  ('a an and are am as at be been being but by can could did do does doing for from had has have having he her hers him his how i ' +
    'if in into is it its me my myself of on or our ours she should so than that the their them then there these they this those ' +
    'to too was we were what when where which while who whom why will with would you your yours us any all also just about please ' +
    'tell know ok okay dear yes no not nor').split(' '),
);

// Alternatives, first match wins: dotted abbreviations (b.d., e.g.), then a word/number run whose
// parts are joined by "/", "-", "&", "'" (between any word characters) or "." and "," (between
// digits), with an optional trailing "%" or "+".
const TOKEN = /(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:(?:[/&'-]|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{N}]+)*[%+]?/gu;
const DOTTED = /^(?:\p{L}\.){2,}$/u;
const HAS_DIGIT = /\p{N}/u;
const PLAIN_WORD = /^\p{L}+$/u;

/** Folds spelling variants and plural, -ed and -ing endings of a plain word (≥ 4 letters); other tokens pass unchanged. */
export function foldSuffix(word: string): string {
  if (word.length < 4 || !PLAIN_WORD.test(word)) return word;
  let w = word;
  // British and American spellings meet: haemoglobin/hemoglobin, oedema/edema, tumour/tumor.
  if (w.length >= 6) w = w.replace(/ae|oe/g, 'e').replace(/our$/, 'or');
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  let cut = false;
  if (w.endsWith('ing') && w.length > 6) {
    w = w.slice(0, -3);
    cut = true;
  } else if (w.endsWith('ed') && w.length > 5) {
    w = w.slice(0, -2);
    cut = true;
  }
  // "stopped" → "stopp" → "stop"; "swelling" keeps its "ll" ("swell").
  if (cut && w.length > 3 && w[w.length - 1] === w[w.length - 2] && !'lsz'.includes(w[w.length - 1]!)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

function pushTerm(out: string[], term: string): void {
  if (term.length === 0 || STOPWORDS.has(term)) return;
  out.push(foldSuffix(term));
}

/**
 * The BM25 terms of `text`, in order (repeats kept: term frequency counts). Deterministic, never
 * throws; empty for text with no word or number in it.
 */
export function clinicalTerms(text: string): string[] {
  const out: string[] = [];
  const lower = text.normalize('NFKC').toLowerCase();
  for (const m of lower.matchAll(TOKEN)) {
    let t = m[0];
    if (DOTTED.test(t)) {
      pushTerm(out, t.replace(/\./g, ''));
      continue;
    }
    if (HAS_DIGIT.test(t)) t = t.replace(/(?<=\p{N}),(?=\p{N})/gu, '');
    const sign = t.endsWith('%') || t.endsWith('+') ? t.slice(0, -1) : null;
    const core = sign ?? t;
    const parts = core.split(/[/&'-]/);
    if (parts.length === 1 && sign === null) {
      pushTerm(out, t);
      continue;
    }
    // The whole form ("7.8%", "mg/dl", "u&e") carries the meaning; the parts let "dl" or "7.8" meet it.
    out.push(t);
    if (sign !== null && parts.length === 1) out.push(core);
    if (parts.length > 1) for (const p of parts) pushTerm(out, p);
  }
  return out;
}

const MODEL_TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/**
 * Approximate model tokens in `text`: each word or number and each punctuation mark counts one
 * (how BERT-style tokenisers pre-split; word pieces make the real count a little higher).
 */
export function countTokens(text: string): number {
  let n = 0;
  MODEL_TOKEN.lastIndex = 0;
  while (MODEL_TOKEN.exec(text) !== null) n++;
  return n;
}

/** `clinicalTerms` plus one `icd10cm:…` / `rxnorm:…` term per concept mention: what BM25 indexes and queries with. */
export function indexTerms(text: string): string[] {
  const terms = clinicalTerms(text);
  for (const c of lookupConcepts(text)) terms.push(c.id);
  return terms;
}
