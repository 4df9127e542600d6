/**
 * Dictionary matcher for drug names over word tokens: a token trie for exact (multi-word) names,
 * plus a symmetric-deletion index for one-edit misspellings of names of 6+ letters, a digit →
 * letter repair for OCR noise ("metf0rmin", "1isinopril") and a repair of words OCR split in two
 * ("Metf ormin"). One pass over the note's tokens; no per-note loop over the vocabulary.
 *
 * Precision with a large vocabulary: an everyday English word or an anatomy word is never
 * fuzzy-corrected ("testis" is not testosterone); short or everyday-word brands ("Pan", "Bandy")
 * need a strength or dose form beside them; compounds known only to DrugBank match exactly only.
 */
import { everydayWords, loadDrugVocab, type DrugEntry, type DrugVocab } from '../vocab/drug-vocab.js';
import { maySplitWord, noteOcrRepair } from '../text/ocr-repairs.js';

export interface DrugMatch {
  start: number;
  end: number;
  entry: DrugEntry;
  /** 'exact', 'ocr' (digits repaired) or 'fuzzy' (one edit). */
  kind: 'exact' | 'ocr' | 'fuzzy';
}

interface Node { next: Map<string, Node>; entry: DrugEntry | null; strict: boolean }
interface WordInfo { first: Node | undefined; noFuzzy: boolean }
/** Bound on the per-word cache (entries); it is emptied when full. */
const WORD_CACHE_MAX = 8192;

/** Characters allowed between the words of a multi-word name ("Z-Pak", "Tylenol #3", "co-amoxiclav"): 1–3 of " -/#+" (see isGap). */
const OCR_DIGITS: Record<string, string> = { '0': 'o', '1': 'l', '5': 's', '8': 'b', '3': 'e', '6': 'g', '7': 't' };
const MIN_FUZZY = 6;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';
/** English and clinical words one edit away from a drug name; never corrected. */
const NOT_DRUGS = new Set(['ambient', 'lyrics', 'solace', 'palace', 'prosecute', 'request', 'requires',
  'insular', 'restore', 'restored', 'detail', 'details', 'senior', 'lantern', 'plenty', 'allergic', 'allergy', 'cardiac',
  'regular', 'atrial', 'actual', 'relief', 'primary', 'remain', 'remains', 'medical', 'protein', 'proteins',
  'instead', 'celebrate', 'premium', 'evident', 'tender', 'central', 'control', 'controls', 'caution',
  'national', 'rational', 'natural', 'nursing', 'morning', 'evening', 'bedtime', 'tablets', 'capsules', 'patient',
  'patients', 'history', 'started', 'stopped', 'continue', 'continued', 'daily', 'weekly', 'monthly', 'hourly',
  'lasting', 'pending', 'regimen', 'oxygen', 'severe', 'stable', 'symptoms']);

/**
 * Anatomy and clinical words that are one edit from a drug name, beyond the everyday word list:
 * never corrected into a drug ("testis" → testosterone was reported four times in one note).
 */
const ANATOMY = new Set(`testis testes testicle testicles scrotum scrotal epididymis prostate prostatic urethra urethral ureter
ureters ureteric bladder vesical kidney kidneys renal adrenal adrenals pelvis pelvic perineum perineal vagina vaginal vulva vulval
vulvar cervix cervical uterus uterine ovary ovaries ovarian fallopian adnexa adnexal labia labial clitoris penile penis glans
foreskin prepuce rectum rectal anus anal colon colonic cecum caecum ileum ileal jejunum duodenum duodenal pylorus pyloric
stomach gastric esophagus oesophagus esophageal oesophageal pharynx pharyngeal larynx laryngeal trachea tracheal bronchus
bronchi bronchial alveoli alveolar pleura pleural lung lungs pulmonary thorax thoracic sternum sternal rib ribs clavicle
scapula humerus radius ulna carpal carpus metacarpal phalanx phalanges femur femoral tibia tibial fibula fibular patella
patellar tarsal metatarsal calcaneus talus spine spinal vertebra vertebrae vertebral lumbar sacral sacrum coccyx cranium
cranial skull mandible maxilla orbit orbital retina retinal cornea corneal sclera scleral iris pupil pupils lens conjunctiva
conjunctival eyelid eyelids tympanic cochlea cochlear mastoid sinus sinuses nasal septum tonsil tonsils tonsillar adenoid
adenoids tongue lingual palate gingiva gingival mucosa mucosal thyroid parathyroid pituitary hypothalamus cerebrum cerebral
cerebellum cerebellar brainstem medulla meninges meningeal dura dural cortex cortical thalamus ventricle ventricles ventricular
atrium atria atrial aorta aortic artery arteries arterial vein veins venous capillary myocardium myocardial pericardium
pericardial endocardium valve valves mitral tricuspid liver hepatic gallbladder biliary pancreas pancreatic spleen splenic
appendix omentum peritoneum peritoneal mesentery mesenteric diaphragm abdomen abdominal groin inguinal axilla axillary
breast breasts nipple areola skin dermal epidermis subcutaneous muscle muscles muscular tendon tendons ligament ligaments
cartilage synovium synovial bursa joint joints marrow lymph lymphatic node nodes gland glands nerve nerves neural neuron
neurons retinae ocular optic auricle earlobe forearm elbow wrist wrists ankle ankles knee knees shoulder shoulders
hip hips thigh thighs calf calves shin heel heels toe toes finger fingers thumb palm palms sole soles scalp forehead temple
cheek cheeks chin jaw neck throat chest back flank buttock buttocks`.split(/\s+/));

let shared: DrugMatcher | null = null;

/** One matcher over the bundled vocabulary per process, built on first use. */
export function bundledDrugMatcher(): DrugMatcher {
  shared ??= new DrugMatcher(loadDrugVocab());
  return shared;
}

export class DrugMatcher {
  private readonly root: Node = { next: new Map(), entry: null, strict: false };
  /** Single-word names of 6+ letters, for fuzzy lookups. */
  private readonly single = new Map<string, DrugEntry>();
  /** Length of the longest of them: a longer word (past one insertion) is never one edit away. */
  private longestSingle = 0;
  /** Fuzzy/OCR outcomes per word: note vocabulary repeats, so each word is corrected once. */
  private readonly memo = new Map<string, { entry: DrugEntry; kind: 'ocr' | 'fuzzy' } | null>();

  private readonly everyday: Set<string>;
  /** Everyday English, anatomy and listed clinical words: never fuzzy-corrected, never OCR fragments. */
  private readonly noFuzzy: Set<string>;
  /** Whether a word is an everyday word or a one-word drug name (an OCR fragment must be neither). */
  private readonly known = (w: string): boolean => { const info = this.wordInfo(w); return info.noFuzzy || info.first?.entry != null; };
  /**
   * Per word: the trie's first-word node and whether it is never fuzzy-corrected. Both tables hold
   * tens of thousands of words and every word of every note was looked up in both; notes reuse a
   * small working set of words, so one lookup in this small table answers most of them.
   */
  private readonly words = new Map<string, WordInfo>();

  constructor(vocab: DrugVocab) {
    this.everyday = everydayWords();
    this.noFuzzy = new Set([...this.everyday, ...ANATOMY, ...NOT_DRUGS]);
    for (const [term, entry] of vocab.terms) {
      const words = term.match(/[a-z0-9]+/g);
      if (!words) continue;
      let node = this.root;
      for (const w of words) {
        let n = node.next.get(w);
        if (!n) { n = { next: new Map(), entry: null, strict: false }; node.next.set(w, n); }
        node = n;
      }
      if (node.entry) continue;
      node.entry = entry;
      const strict = vocab.strict.has(term);
      node.strict = strict;
      // Fuzzy targets: names a clinician writes, not short or everyday-word brands, not compounds
      // known only to DrugBank (research chemicals one letter from an ordinary word).
      const fuzzyTarget = !strict && !entry.source?.startsWith('drugbank:') && !this.everyday.has(words[0]!);
      if (fuzzyTarget && words.length === 1 && /^[a-z]+$/.test(words[0]!) && words[0]!.length >= MIN_FUZZY) this.single.set(words[0]!, entry);
    }
    for (const w of this.single.keys()) this.longestSingle = Math.max(this.longestSingle, w.length);
  }

  private wordInfo(w: string): WordInfo {
    let info = this.words.get(w);
    if (info === undefined) {
      info = { first: this.root.next.get(w), noFuzzy: this.noFuzzy.has(w) };
      if (this.words.size >= WORD_CACHE_MAX) this.words.clear();
      this.words.set(w, info);
    }
    return info;
  }

  /** All drug mentions in `text`, left to right, non-overlapping, longest first at each position. */
  findAll(text: string): DrugMatch[] {
    const toks = wordTokens(text);
    const out: DrugMatch[] = [];
    for (let i = 0; i < toks.length; i++) {
      const info = this.wordInfo(toks[i]!.w);
      let node: Node | undefined = this.root;
      let bestJ = -1;
      let bestEntry: DrugEntry | null = null;
      for (let j = i; j < toks.length && node; j++) {
        if (j > i && !isGap(text, toks[j - 1]!.e, toks[j]!.s)) break;
        node = j === i ? info.first : node.next.get(toks[j]!.w);
        if (node?.entry && (!node.strict || inDrugContext(text, toks[i]!.s, toks[j]!.e))) { bestJ = j; bestEntry = node.entry; }
      }
      const t = toks[i]!;
      if (bestEntry) {
        out.push({ start: t.s, end: toks[bestJ]!.e, entry: bestEntry, kind: 'exact' });
        i = bestJ;
        continue;
      }
      // Cheap position checks first, then one set lookup settles most unmatched words: everyday
      // words are neither OCR fragments nor misspellings.
      const next = toks[i + 1];
      const splitCandidate = next !== undefined && next.s === t.e + 1 && t.w.length + next.w.length >= 6 && text.charCodeAt(t.e) === 32;
      if (t.w.length < MIN_FUZZY - 1 && !splitCandidate) continue;
      if (info.noFuzzy) continue;
      if (splitCandidate && this.splitRepair(text, t, next, out)) { i++; continue; }
      if (t.w.length < MIN_FUZZY - 1) continue;
      let hit = this.memo.get(t.w);
      if (hit === undefined) {
        hit = this.correct(t.w);
        if (this.memo.size > 100_000) this.memo.clear();
        this.memo.set(t.w, hit);
      }
      if (hit) out.push({ start: t.s, end: t.e, entry: hit.entry, kind: hit.kind });
    }
    return out;
  }

  /** "Metf ormin": joins two fragments when the join is a one-word name and neither part is a word. */
  private splitRepair(text: string, t: WordToken, next: WordToken, out: DrugMatch[]): boolean {
    if (!maySplitWord(text, t.s, t.e, next.s, t.w, next.w, this.known)) return false;
    const node = this.root.next.get(t.w + next.w);
    if (!node?.entry || node.strict) return false;
    out.push({ start: t.s, end: next.e, entry: node.entry, kind: 'ocr' });
    noteOcrRepair();
    return true;
  }

  /** OCR repair first ("metf0rmin", "rnetformin"), then one edit for words of 6+ letters. */
  private correct(w: string): { entry: DrugEntry; kind: 'ocr' | 'fuzzy' } | null {
    const repaired = /\d/.test(w) && /[a-z]/.test(w) ? repairOcr(w) : w.includes('rn') ? w.replace(/rn/g, 'm') : null;
    if (repaired) {
      const hit = this.lookupOne(repaired) ?? this.fuzzy(repaired, false);
      if (hit) return { entry: hit, kind: 'ocr' };
    }
    if (w.length >= MIN_FUZZY && /^[a-z]+$/.test(w)) {
      const hit = this.fuzzy(w, true);
      if (hit) return { entry: hit, kind: 'fuzzy' };
    }
    return null;
  }

  private lookupOne(w: string): DrugEntry | null {
    const node = this.root.next.get(w);
    return node && !node.strict ? node.entry : null;
  }

  /**
   * A single-word name within one edit (delete, transpose, substitute, insert) of `w`, tried in
   * that order: candidates are generated from the word (about 55 per letter) and looked up, so no
   * index of the vocabulary's deletions is built at start-up. Only words that are neither everyday
   * English nor anatomy reach here, once per distinct word (memoised).
   */
  private fuzzy(w: string, sameFirst: boolean): DrugEntry | null {
    const n = w.length;
    // Candidates cost O(n) each and there are ~55n of them: a 100,000-letter "word" (fuzzing found
    // one) would hold the engine for hours. No name is within one edit of a word this long.
    if (n > this.longestSingle + 1) return null;
    const hit = (c: string): DrugEntry | null => (sameFirst && c[0] !== w[0] ? null : this.single.get(c) ?? null);
    for (let i = 0; i < n; i++) { const e = hit(w.slice(0, i) + w.slice(i + 1)); if (e) return e; }
    for (let i = 0; i + 1 < n; i++) { const e = hit(w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)); if (e) return e; }
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 26; k++) {
        const ch = ALPHABET[k]!;
        if (ch === w[i]) continue;
        const e = hit(w.slice(0, i) + ch + w.slice(i + 1)); if (e) return e;
      }
    }
    for (let i = 0; i <= n; i++) {
      for (let k = 0; k < 26; k++) { const e = hit(w.slice(0, i) + ALPHABET[k]! + w.slice(i)); if (e) return e; }
    }
    return null;
  }
}

interface WordToken { s: number; e: number; w: string }

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Runs of ASCII letters/digits (as /[A-Za-z0-9]+/g), lower-cased. A char-code scan that lower-cases
 * only tokens holding a capital: this ran once per note over every word and dominated matching.
 */
function wordTokens(text: string): WordToken[] {
  const toks: WordToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (!isWordChar(c)) { i++; continue; }
    const s = i;
    let upper = false;
    while (i < n && isWordChar(c = text.charCodeAt(i))) { if (c >= 65 && c <= 90) upper = true; i++; }
    const raw = text.slice(s, i);
    toks.push({ s, e: i, w: upper ? raw.toLowerCase() : raw });
  }
  return toks;
}

/** Whether text[from, to) is a gap allowed inside a multi-word name: 1 to 3 of " -/#+", checked without slicing. */
function isGap(text: string, from: number, to: number): boolean {
  const len = to - from;
  if (len < 1 || len > 3) return false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 45 && c !== 47 && c !== 35 && c !== 43) return false;
  }
  return true;
}

/** Dose-form words written before a brand ("Tab. Pan", "Cap Mox", "Syp. Calpol"). */
const FORM_BEFORE = /(?:^|[^a-z])(?:tabs?|tablets?|caps?|capsules?|syp|syr|syrup|inj|injection|susp|suspension|oint|ointment|cream|gel|drops?|sachets?|inh|inhaler|neb|rx|t|c)\.?\s*$/i;

/**
 * Whether a strict name (a short or everyday-word brand) at text[start, end) stands as a drug: a
 * strength or count follows ("Pan 40", "Dolo-650") or a dose form precedes it ("Tab. Pan").
 */
function inDrugContext(text: string, start: number, end: number): boolean {
  let k = end;
  while (k < text.length && k < end + 3 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 45)) k++;
  const c = text.charCodeAt(k);
  if (c >= 48 && c <= 57) return true;
  if (FORM_AFTER.test(text.slice(k, k + 12))) return true;
  return FORM_BEFORE.test(text.slice(Math.max(0, start - 14), start));
}

/** Dose-form words written after a brand ("Evra patch", "Tayo sachet"). */
const FORM_AFTER = /^(?:patch|patches|inhaler|puffs?|tabs?|tablets?|caps?|capsules?|sachets?|cream|gel|ointment|drops|syrup|ring|implant|injection|spray|pen|nebs?)\b/i;

/** Digits inside a word read as the letters OCR confuses them with; "rn" read as "m". */
function repairOcr(w: string): string {
  let s = '';
  for (const ch of w) s += OCR_DIGITS[ch] ?? ch;
  return /^[a-z]+$/.test(s) ? s : w;
}

/** Optimal-string-alignment distance ≤ 1. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length; const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
