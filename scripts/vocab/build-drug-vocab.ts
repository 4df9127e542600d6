/**
 * Builds the open-source part of the drug vocabulary, engine/clinical/vocab/drugs-open.tsv, from
 * the openly licensed name lists in ../shared/vocab (see its SOURCES.md): NLM MedlinePlus drug
 * pages and MeSH (public domain) and the DrugBank Open Data vocabulary (CC0). Also writes
 * engine/clinical/vocab/english-words.txt, the everyday-word list the matcher uses at run time
 * (never fuzzy-correct an English word; OCR split repair only when neither part is a word).
 *
 * Usage: node bin/run-ts.js scripts/vocab/build-drug-vocab.ts [--src ../shared/vocab] [--dict /usr/share/dict/american-english]
 * The word list comes from Debian's `wamerican` package (SCOWL; `apt-get install wamerican`), used
 * only here, never at run time. Output is deterministic: same inputs, same bytes.
 *
 * Priority (earlier wins a surface form at load time): drugs.tsv (hand-checked, RxCUIs), then
 * drugs-curated.tsv (hospital brands, hand-written), then this file, whose rows are ordered
 * MedlinePlus, MeSH, DrugBank names linked to those, and DrugBank-only compounds last, so a
 * research compound never takes a name from a common medicine.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const VOCAB = resolve(ROOT, 'engine/clinical/vocab');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  // Whether the current row has begun: `""` alone is a row with one empty field, not nothing.
  let begun = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    begun = true;
    if (q) {
      if (c === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else q = false; } else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = ''; begun = false;
    } else field += c;
  }
  if (begun) { row.push(field); rows.push(row); }
  return rows;
}

/**
 * Single words that name a substance but in notes are a lab value, a body substance, food or a
 * substance of abuse ("potassium 4.1", "lactose intolerance", "cocaine use"): never a drug from
 * the open lists (drugs.tsv/drugs-curated.tsv may still name them in a product, e.g. potassium chloride).
 */
export const NOT_A_DRUG_WORD = new Set(`glucose lactate lactic urea creatinine creatine bilirubin albumin ferritin troponin
cholesterol triglyceride triglycerides cortisol ammonia oxygen water nitrogen hydrogen helium argon air hemoglobin haemoglobin
calcium sodium potassium magnesium phosphate phosphorus chloride bicarbonate iron zinc copper selenium manganese iodine iodide
fluoride sulfur sulphur chromium cobalt molybdenum boron silicon silver gold platinum aluminum aluminium carbon lead mercury
arsenic uric amylase lipase protein proteins insulin glucagon gastrin renin aldosterone angiotensin histamine serotonin dopamine
adrenaline noradrenaline epinephrine norepinephrine acetylcholine melanin keratin collagen elastin mucin gelatin starch sucrose
lactose fructose galactose maltose glycogen cellulose dextrose sugar salt honey milk caffeine alcohol ethanol methanol tobacco
cannabis marijuana cocaine heroin methamphetamine crack nicotine gluten peanut soy egg wheat latex nickel fibrin fibrinogen thrombin
plasmin urokinase heme bile vitamin vitamins mineral minerals estrogen estrogens oestrogen androgen androgens steroid steroids
hormone hormones testosterone estradiol progesterone prolactin thyroxine triiodothyronine thyrotropin calcitonin parathyroid
oxytocin vasopressin somatostatin growth leptin ghrelin melatonin glutamate glycine alanine leucine lysine arginine tyrosine
tryptophan cysteine methionine proline serine valine histidine glutamine asparagine citrulline ornithine taurine carnitine
choline inositol urate oxalate citrate ketone ketones acetone bicarb co2 pco2 po2 dna rna atp nad adenosine guanosine uridine
cytidine thymidine lecithin cholesterol squalene phenol benzene toluene formaldehyde chlorine bromine ozone radon asbestos
mold mould pollen dust venom toxin toxins antigen antibody antibodies immunoglobulin complement plasma serum blood saline
placebo contrast dye barium gadolinium iodinated food diet fluid fluids prothrombin plasminogen trypsin pepsin transferrin
haptoglobin ceruloplasmin myoglobin procalcitonin lipoprotein apolipoprotein globulin immunoglobulins urobilinogen nitrite
leukocyte hematocrit platelet platelets reticulocyte elastase calprotectin homocysteine folate cobalamin kinase dehydrogenase
phosphatase transaminase peptide enzyme enzymes hemin bilirubin bicarbonate oxalate phosphate sulfate sulphate nitrate nitrates
carbonate acetate fiber fibre bran yeast probiotic probiotics honey cocoa coffee tea thyroid methicillin tuberculin
tyrosinase liver pancreas placenta`.split(/\s+/).filter(Boolean));

/** Words that make a multi-word synonym a chemical or descriptive name, not something a clinician writes. */
const CHEMICAL_WORD = /^(?:acid|ester|esters|salt|anhydrous|monohydrate|dihydrate|hydrate|derivative|analog|analogue|complex|conjugate|compound|monomethyl|dimethyl|methyl|ethyl|propyl|butyl|phenyl|benzyl|hydroxy|amino|chloro|fluoro|bromo|oxo|dioxo|recombinant|protein|peptide|fragment|moiety|fusion|variant|human|bovine|porcine|murine|chimeric|humanized|radiolabeled|labeled|isomer|racemic|enantiomer|free|base)$/;

/** Trailing product words in MedlinePlus page titles ("Dorzolamide Ophthalmic", "Abaloparatide Injection"). */
const PRODUCT_SUFFIX = /\s+(?:oral inhalation|nasal spray|vaginal ring|transdermal patch|transdermal system|extended[- ]release|delayed[- ]release|injection|injectable|inhalation|ophthalmic|otic|topical|transdermal|rectal|vaginal|nasal|oral|sublingual|buccal|implant|intrauterine|powder|solution|suspension|cream|lotion|ointment|gel|foam|spray|patch|film|shampoo|kit|tablets?|capsules?|lozenges?|gum|emulsion|system)$/;

interface Row { name: string; brands: string[]; synonyms: string[]; source: string; rank: number }

const isAscii = (s: string): boolean => /^[\x20-\x7e]+$/.test(s);
const words = (s: string): string[] => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
const letters = (s: string): number => (s.match(/[a-z]/gi) ?? []).length;

/** Reads the lower-case entries of a word list (proper nouns such as "Prozac" are not everyday words). */
function readDictionary(path: string): Set<string> {
  if (!existsSync(path)) throw new Error(`word list ${path} not found: apt-get install wamerican, or pass --dict`);
  const out = new Set<string>();
  for (const w of readFileSync(path, 'utf8').split('\n')) if (/^[a-z]+$/.test(w)) out.add(w);
  return out;
}

/**
 * Whether an open-list surface form is one a clinician writes for this drug: ASCII, no digits
 * (research codes "OPC-14597"), no brackets or commas (IUPAC names), at most 3 words, 4+ letters,
 * and not an everyday word or a substance that is not a drug here.
 */
export function acceptableTerm(term: string, dict: Set<string>, kind: 'name' | 'brand' | 'synonym'): boolean {
  const t = term.trim();
  if (t === '' || !isAscii(t) || /[\d()[\]{},;:'"*?!@%=<>]/.test(t) || t.length > 40) return false;
  const ws = words(t);
  if (ws.length === 0 || ws.length > 3 || letters(t) < 4) return false;
  if (ws.some((w) => w.length === 1) && ws.length > 1 && kind !== 'name') return false;
  if (ws.length === 1 && NOT_A_DRUG_WORD.has(ws[0]!)) return false;
  if (ws.every((w) => NOT_A_DRUG_WORD.has(w) || dict.has(w) || CHEMICAL_WORD.test(w))) {
    // "Aspirin", "Morphine" are dictionary words and medicines: a generic name from MedlinePlus or
    // MeSH stays; a brand or synonym that reads as English ("Abate", "Today") goes.
    if (kind !== 'name' || ws.some((w) => NOT_A_DRUG_WORD.has(w))) return false;
  }
  if (kind === 'synonym' && ws.length >= 2 && ws.some((w) => CHEMICAL_WORD.test(w))) return false;
  // Abbreviations ("ACTH", "DHEA", "NMDA") are lab tests and receptors far more often than drugs.
  if (kind !== 'name' && ws.length === 1 && t.length <= 6 && t === t.toUpperCase()) return false;
  // Chemical fragments written as one word ("phenyloctanediamide") are not names people write.
  if (ws.some((w) => w.length > 22)) return false;
  return true;
}

/** "Abacavir, Dolutegravir, and Lamivudine" → ["abacavir", "dolutegravir", "lamivudine"]; product words dropped. */
export function medlineIngredients(title: string): string[] {
  let t = title.toLowerCase().replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  for (let k = 0; k < 3; k++) t = t.replace(PRODUCT_SUFFIX, '');
  return t.split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*\/\s*/).map((p) => {
    let s = p.trim();
    for (let k = 0; k < 3; k++) s = s.replace(PRODUCT_SUFFIX, '');
    return s;
  }).filter((s) => s !== '');
}

/** Stem used to match combination names across lists: "clavulanic acid" and "clavulanate" agree. */
const stem = (ingredient: string): string => (words(ingredient)[0] ?? '').replace(/(?:ate|ic|ide)$/, '');
const comboKey = (ings: string[]): string => ings.map(stem).sort().join('+');

function main(): void {
  const src = resolve(ROOT, arg('--src', '../shared/vocab'));
  const dict = readDictionary(arg('--dict', '/usr/share/dict/american-english'));

  // Surface form → canonical name, from the hand-written files that load first.
  const known = new Map<string, string>();
  const combos = new Map<string, string>();
  for (const file of ['drugs.tsv', 'drugs-curated.tsv']) {
    const p = resolve(VOCAB, file);
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, 'utf8').split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const [name = '', , brands = '', syns = ''] = line.split('\t');
      const n = name.trim().toLowerCase();
      for (const t of [n, ...brands.split('|'), ...syns.split('|')]) {
        const k = t.replace(/^[!^]/, '').trim().toLowerCase();
        if (k !== '' && !known.has(k)) known.set(k, n);
      }
      if (n.includes('-') && !n.startsWith('omega')) combos.set(comboKey(n.split('-')), n);
    }
  }

  const rows: Row[] = [];
  const claimed = new Map<string, string>(known);
  const canonicalOf = (candidates: string[], fallback: string): string => {
    for (const c of candidates) { const hit = claimed.get(c.toLowerCase().trim()); if (hit) return hit; }
    return fallback;
  };

  // 1. MedlinePlus: generic (or combination) title and its brand names.
  const medline = parseCsv(readFileSync(resolve(src, 'medlineplus.csv'), 'utf8')).slice(1);
  for (const [id = '', title = '', brandList = ''] of medline) {
    const ings = medlineIngredients(title);
    if (ings.length === 0 || !ings.every((i) => acceptableTerm(i, dict, 'name'))) continue;
    const brands = brandList.split('|').map((b) => b.trim()).filter((b) => acceptableTerm(b, dict, 'brand'));
    const own = ings.length === 1 ? ings[0]! : ings.join('-');
    const name = ings.length > 1 ? (combos.get(comboKey(ings)) ?? canonicalOf(brands, own)) : canonicalOf([own, ...brands], own);
    rows.push({ name, brands, synonyms: ings.length === 1 && own !== name ? [own] : [], source: `medlineplus:${id}`, rank: 1 });
    for (const t of [name, own, ...brands]) if (!claimed.has(t.toLowerCase())) claimed.set(t.toLowerCase(), name);
  }

  // 2. MeSH: generic name, common name, synonyms (brands mixed with chemical names and codes).
  const mesh = parseCsv(readFileSync(resolve(src, 'mesh.csv'), 'utf8')).slice(1);
  for (const [id = '', generic = '', common = '', synList = ''] of mesh) {
    const g = generic.trim().toLowerCase();
    if (!acceptableTerm(g, dict, 'name')) continue;
    const syns = [common, ...synList.split('|')].map((s) => s.trim()).filter((s) => s.toLowerCase() !== g && acceptableTerm(s, dict, 'synonym'));
    const name = canonicalOf([g, ...syns], g);
    rows.push({ name, brands: [], synonyms: dedupe([...(name !== g ? [g] : []), ...syns]), source: `mesh:${id}`, rank: 2 });
    for (const t of [g, ...syns]) if (!claimed.has(t.toLowerCase())) claimed.set(t.toLowerCase(), name);
  }

  // 3. DrugBank: linked to a name above → rank 3; DrugBank-only compounds → rank 4 (last).
  const drugbank = parseCsv(readFileSync(resolve(src, 'drugbank_vocabulary.csv'), 'utf8')).slice(1);
  for (const [id = '', , common = '', , , synList = ''] of drugbank) {
    const c = common.trim().toLowerCase();
    const syns = synList.split(' | ').map((s) => s.trim()).filter((s) => s.toLowerCase() !== c && acceptableTerm(s, dict, 'synonym'));
    const linked = [c, ...syns.map((s) => s.toLowerCase())].find((t) => claimed.has(t));
    if (linked) {
      const name = claimed.get(linked)!;
      const terms = dedupe([c, ...syns].filter((t) => acceptableTerm(t, dict, 'synonym') && t.toLowerCase() !== name));
      if (terms.length > 0) rows.push({ name, brands: [], synonyms: terms, source: `drugbank:${id}`, rank: 3 });
      continue;
    }
    // A compound known only to DrugBank: its name must look like a drug name, not a chemical.
    if (!acceptableTerm(c, dict, 'synonym') || words(c).length > 2 || dict.has(c)) continue;
    rows.push({ name: c, brands: [], synonyms: dedupe(syns), source: `drugbank:${id}`, rank: 4 });
  }

  rows.sort((a, b) => a.rank - b.rank);
  // Drop surface forms an earlier row (or the hand-written files) already owns, so each line says
  // only what it adds; a line left with nothing new is dropped.
  const owner = new Map<string, string>(known);
  const out: string[] = [
    '# WardClerk drug vocabulary, open sources. GENERATED by scripts/vocab/build-drug-vocab.ts: do not edit by hand.',
    '# Sources: NLM MedlinePlus and MeSH (public domain), DrugBank Open Data vocabulary (CC0 1.0); see README.md.',
    '# name\trxcui\tbrands\tsynonyms\tsource',
  ];
  const counts = new Map<string, number>();
  for (const r of rows) {
    // A short one-word compound name from MeSH or DrugBank ("rutin", "eosin") is too ambiguous to own.
    if (r.rank >= 2 && /^[a-z]{1,5}$/.test(r.name) && !owner.has(r.name)) continue;
    const fresh = (t: string): boolean => {
      const k = t.toLowerCase();
      if (owner.has(k)) return false;
      owner.set(k, r.name);
      return true;
    };
    const nameIsNew = fresh(r.name);
    // A one-word name of 5 letters or fewer from the open lists ("Bayer", "Ment") is written with
    // "^": it names a drug only beside a strength or a dose form.
    const mark = (t: string): string => (/^[a-z]{1,5}$/i.test(t) ? `^${t}` : t);
    const brands = r.brands.filter(fresh).map(mark);
    const syns = r.synonyms.filter(fresh).map(mark);
    if (!nameIsNew && brands.length === 0 && syns.length === 0) continue;
    const kind = r.source.split(':')[0]!;
    counts.set(kind, (counts.get(kind) ?? 0) + Number(nameIsNew) + brands.length + syns.length);
    out.push([r.name, '', brands.join('|'), syns.join('|'), r.source].join('\t'));
  }
  writeFileSync(resolve(VOCAB, 'drugs-open.tsv'), out.join('\n') + '\n');
  // Everyday words for the matcher: lower-case entries of the word list, minus the drug names it holds.
  const everyday = [...dict].filter((w) => w.length >= 2 && !owner.has(w)).sort();
  writeFileSync(resolve(VOCAB, 'english-words.txt'), everyday.join('\n') + '\n');
  process.stdout.write(`${JSON.stringify({ rows: out.length - 3, newTermsBySource: Object.fromEntries([...counts].sort()), knownBefore: known.size, everydayWords: everyday.length })}\n`);
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((t) => { const k = t.toLowerCase(); if (seen.has(k)) return false; seen.add(k); return true; });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
