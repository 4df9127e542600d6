/**
 * The observation (lab and vital sign) vocabulary: LOINC codes with display names, default UCUM
 * units, plausible value ranges and synonyms, compiled into a token trie. Built-in file:
 * `engine/clinical/vocab/loinc.tsv`; more files can be added from disk with
 * `loadObservationVocabulary(paths)` + `useObservationVocabulary(v)`.
 */
import { PhraseTrie } from '../text/phrase-trie.js';
import { readVocabFiles } from '../vocab/read-vocab-files.js';

export interface ObservationConcept {
  /** LOINC code, or "BP" for the systolic/diastolic pair. */
  code: string;
  display: string;
  unit: string | null;
  min: number;
  max: number;
  /** UCUM unit → LOINC code to use when the value is stated in that unit. */
  alternates: Map<string, string>;
}

export interface ObservationVocabulary {
  trie: PhraseTrie<ObservationConcept>;
  byCode: Map<string, ObservationConcept>;
}

const BUILTIN = new URL('../vocab/loinc.tsv', import.meta.url);

/** Adds the rows of one LOINC vocabulary file (format in vocab/README.md). */
export function addObservationEntries(vocab: ObservationVocabulary, text: string): number {
  let added = 0;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const [code, display, unit, min, max, syns, alts] = raw.split('\t');
    if (!code || !display) continue;
    const concept: ObservationConcept = {
      code: code.trim(),
      display: display.trim(),
      unit: unit?.trim() ? unit.trim() : null,
      min: Number(min ?? '-Infinity') || 0,
      max: max?.trim() ? Number(max) : Number.POSITIVE_INFINITY,
      alternates: new Map((alts ?? '').split(',').filter((a) => a.includes('=')).map((a) => a.split('=').map((x) => x.trim()) as [string, string])),
    };
    if (!vocab.byCode.has(concept.code)) { vocab.byCode.set(concept.code, concept); added++; }
    for (const s of (syns ?? '').split('|')) {
      if (s.startsWith('!')) vocab.trie.add(s.slice(1), concept, true);
      else if (s.trim() !== '') vocab.trie.add(s, concept);
    }
  }
  return added;
}

/** Builds a vocabulary from the built-in file plus `paths` (earlier files win on shared phrases). */
export function loadObservationVocabulary(paths: string[] = [], options: { includeBuiltin?: boolean } = {}): ObservationVocabulary {
  const vocab: ObservationVocabulary = { trie: new PhraseTrie(), byCode: new Map() };
  readVocabFiles('observation', BUILTIN, paths, options.includeBuiltin !== false, (text) => addObservationEntries(vocab, text));
  return vocab;
}

let active: ObservationVocabulary | null = null;

/** The vocabulary extraction uses (built-in unless replaced). */
export function activeObservationVocabulary(): ObservationVocabulary {
  active ??= loadObservationVocabulary();
  return active;
}

/** Replaces the observation vocabulary process-wide (call at start-up). */
export function useObservationVocabulary(vocab: ObservationVocabulary): void {
  active = vocab;
}
