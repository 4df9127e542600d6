/**
 * The condition vocabulary: ICD-10-CM codes with display names and synonyms, compiled into a
 * token trie. The built-in file is `engine/clinical/vocab/conditions.tsv`; an appliance can add
 * larger files from disk (WardClerk TSV, or CMS ICD-10-CM "order" / "codes" release files) with
 * `loadConditionVocabulary(paths)` and `useConditionVocabulary(v)`, with no code changes.
 */
import { PhraseTrie } from '../text/phrase-trie.js';
import { readVocabFiles } from '../vocab/read-vocab-files.js';

export interface ConditionConcept {
  /** ICD-10-CM code with its dot ("E11.9"), or "-" for a blocked phrase. */
  code: string;
  display: string;
  /** The phrase itself denies the condition ("afebrile" → fever, negated). */
  negatedForm?: boolean;
}

export interface ConditionVocabulary {
  trie: PhraseTrie<ConditionConcept>;
  byCode: Map<string, ConditionConcept>;
}

const BUILTIN = new URL('../vocab/conditions.tsv', import.meta.url);

/** Inserts the dot ICD-10-CM codes carry after their third character ("E119" → "E11.9"). */
export function dottedCode(raw: string): string {
  const c = raw.trim().toUpperCase();
  if (c.includes('.') || c.length <= 3) return c;
  return `${c.slice(0, 3)}.${c.slice(3)}`;
}

/** Creates an empty vocabulary. */
export function emptyConditionVocabulary(): ConditionVocabulary {
  return { trie: new PhraseTrie(), byCode: new Map() };
}

/**
 * Adds the entries of one vocabulary file's text. Formats, detected per line:
 * - WardClerk TSV: `code<TAB>display<TAB>syn1|syn2` (`!syn` = case-sensitive, `~syn` = a word that
 *   denies the condition, e.g. "~afebrile"; `#` comments);
 * - CMS order file: `00001 A00     0 Short description   Long description` (fixed width);
 * - CMS codes file: `A000    Long description`.
 * Returns the number of concepts added. Unparseable lines are skipped and counted in `skipped`.
 */
export function addConditionEntries(vocab: ConditionVocabulary, text: string): { added: number; skipped: number } {
  let added = 0;
  let skipped = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = parseLine(line);
    if (!parsed) { skipped++; continue; }
    const { code, display, synonyms } = parsed;
    let concept = vocab.byCode.get(code);
    if (!concept) { concept = { code, display }; vocab.byCode.set(code, concept); added++; }
    // ICD-style displays ("Acute cystitis without hematuria", "Gout, unspecified") would swallow
    // the words people write around a diagnosis; when synonyms exist, they carry the matching.
    if (synonyms.length === 0 || !/[,()[\]]|\bwith(out)?\b/i.test(display)) vocab.trie.add(display, concept);
    for (const s of synonyms) {
      if (s.startsWith('!')) vocab.trie.add(s.slice(1), concept, true);
      else if (s.startsWith('~')) vocab.trie.add(s.slice(1), { ...concept, negatedForm: true });
      else if (s.trim() !== '') vocab.trie.add(s, concept);
    }
  }
  return { added, skipped };
}

function parseLine(line: string): { code: string; display: string; synonyms: string[] } | null {
  if (line.includes('\t')) {
    const [code, display, syns] = line.split('\t');
    if (!code || !display) return null;
    const c = code.trim() === '-' ? '-' : dottedCode(code);
    return { code: c, display: display.trim(), synonyms: syns ? syns.split('|') : [] };
  }
  const order = /^\d{5} ([A-Z][0-9][0-9A-Z]{0,5})\s+[01] (.{60}) (.+)$/.exec(line);
  if (order) return { code: dottedCode(order[1]!), display: order[3]!.trim(), synonyms: [order[2]!.trim()] };
  const codes = /^([A-Z][0-9][0-9A-Z]{1,5})\s+(\S.*)$/.exec(line);
  if (codes) return { code: dottedCode(codes[1]!), display: codes[2]!.trim(), synonyms: [] };
  return null;
}

/**
 * Builds a vocabulary from the built-in file (unless `includeBuiltin` is false) plus `paths`.
 * Earlier files win when two map the same phrase. Throws CONFIG_INVALID naming the file index
 * (not its content) when a file cannot be read.
 */
export function loadConditionVocabulary(paths: string[] = [], options: { includeBuiltin?: boolean } = {}): ConditionVocabulary {
  const vocab = emptyConditionVocabulary();
  readVocabFiles('condition', BUILTIN, paths, options.includeBuiltin !== false, (text) => addConditionEntries(vocab, text));
  return vocab;
}

let active: ConditionVocabulary | null = null;

/** The vocabulary extraction uses: the one set by `useConditionVocabulary`, else the built-in. */
export function activeConditionVocabulary(): ConditionVocabulary {
  active ??= loadConditionVocabulary();
  return active;
}

/** Replaces the vocabulary used by `extractClinical` (process-wide; call at start-up). */
export function useConditionVocabulary(vocab: ConditionVocabulary): void {
  active = vocab;
}
