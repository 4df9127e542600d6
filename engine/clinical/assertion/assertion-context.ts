/**
 * Resolves the assertion of concept mentions (present, negated, historical, family,
 * hypothetical, uncertain) from ConText triggers around them. Build one `AssertionContext` per
 * note (it tokenises triggers once), then call `assertionFor` per concept token range.
 *
 * Rules: a pre-trigger covers the tokens after it up to its window, the sentence end, a ";", a
 * terminator, or the next trigger of another category; a post-trigger covers the tokens before it
 * likewise. When several categories apply the strongest wins:
 * negated > family > hypothetical > uncertain > historical. A family-history section makes
 * mentions `family` unless they are negated.
 */
import type { Assertion } from '../../../core/clinical/extraction.js';
import type { Token } from '../text/tokenize.js';
import type { PhraseMatch } from '../text/phrase-trie.js';
import { CLAUSE_FINAL_POST, type Trigger, triggerTrie } from './triggers.js';

const RANK: Record<Assertion, number> = { negated: 5, family: 4, hypothetical: 3, uncertain: 2, historical: 1, present: 0 };

export interface AssertionContext {
  tokens: Token[];
  sentence: Int32Array;
  /** Trigger matches in token order. */
  triggers: PhraseMatch<Trigger>[];
  /** For each token, the index in `triggers` of the first trigger starting at or after it. */
  nextTrigger: Int32Array;
}

/** Finds all triggers of a note. */
export function buildAssertionContext(text: string, tokens: Token[], sentence: Int32Array): AssertionContext {
  const triggers = triggerTrie().matchAll(text, tokens);
  const nextTrigger = new Int32Array(tokens.length + 1);
  let k = triggers.length;
  for (let i = tokens.length; i >= 0; i--) {
    while (k > 0 && triggers[k - 1]!.first >= i) k--;
    nextTrigger[i] = k;
  }
  return { tokens, sentence, triggers, nextTrigger };
}

function hasComma(tokens: Token[], from: number, to: number): boolean {
  for (let j = from; j < to; j++) if (tokens[j]!.norm === ',') return true;
  return false;
}

function isBarrier(tok: Token): boolean {
  return tok.kind === 3 && (tok.norm === ';' || tok.norm === '|');
}

/**
 * The assertion of the concept spanning tokens [first, last). `familySection` marks mentions
 * inside a family-history section.
 */
export function assertionFor(ctx: AssertionContext, first: number, last: number, familySection: boolean): { assertion: Assertion; trigger: string | null } {
  const { tokens, sentence, triggers } = ctx;
  const sid = sentence[first]!;
  let best: Assertion = familySection ? 'family' : 'present';
  let bestTrigger: string | null = null;
  const consider = (a: Assertion, t: Trigger): void => {
    if (RANK[a] > RANK[best]) { best = a; bestTrigger = t.phrase; }
  };
  // Pre-triggers: walk back from the concept over earlier triggers in the same sentence.
  let idx = ctx.nextTrigger[first]! - 1;
  let blockedCat: string | null = null;
  let blocked = false;
  // Barriers between trigger and concept end scope; check tokens in between as we go.
  let scanFrom = first - 1;
  while (idx >= 0 && !blocked) {
    const m = triggers[idx]!;
    if (sentence[m.first] !== sid) break;
    // Any ";" between this trigger and the concept ends its scope.
    for (let j = scanFrom; j >= m.last; j--) if (isBarrier(tokens[j]!)) { blocked = true; break; }
    if (blocked) break;
    scanFrom = m.first - 1;
    const t = m.value;
    if (t.cat === 'terminate') break;
    // Short-scope triggers ("s/p", "non") govern the phrase right after them, not a comma list.
    const shortBlocked = t.pre > 0 && t.pre <= 5 && hasComma(tokens, m.last, first);
    if (t.cat !== 'pseudo' && t.pre > 0 && first - m.last <= t.pre && !shortBlocked) {
      if (blockedCat === null || blockedCat === t.cat || (t.cat === 'negated' && blockedCat === 'historical')) consider(t.cat as Assertion, t);
    }
    // A trigger of a different category closer to the concept ends farther triggers' scope,
    // except that negation reaches over a history cue ("no known history of", "denies prior").
    if (t.cat !== 'pseudo' && t.pre > 0 && blockedCat === null) blockedCat = t.cat;
    idx--;
  }
  // Post-triggers: walk forward from the concept end.
  idx = ctx.nextTrigger[last]!;
  let scanTo = last;
  let seenPostCat: string | null = null;
  while (idx < triggers.length) {
    const m = triggers[idx]!;
    if (sentence[m.first] !== sid) break;
    let barrier = false;
    for (let j = scanTo; j < m.first; j++) if (isBarrier(tokens[j]!)) { barrier = true; break; }
    if (barrier) break;
    scanTo = m.last;
    const t = m.value;
    if (t.cat === 'terminate') break;
    if (t.cat !== 'pseudo' && t.post > 0 && m.first - last <= t.post && (seenPostCat === null || seenPostCat === t.cat)) {
      if (!CLAUSE_FINAL_POST.has(t.phrase) || clauseFinal(tokens, sentence, m.last)) consider(t.cat as Assertion, t);
    }
    if (t.cat !== 'pseudo' && seenPostCat === null) seenPostCat = t.cat;
    if (t.cat !== 'pseudo' && t.pre > 0) break;
    idx++;
  }
  if (RANK[best] < RANK.family) {
    const subject = familySubject(tokens, sentence, first);
    if (subject !== null) { best = 'family'; bestTrigger = subject; }
  }
  if (familySection && (best as Assertion) !== 'negated') best = 'family';
  return { assertion: best, trigger: bestTrigger };
}

const RELATIVES = new Set(['mother', 'father', 'mom', 'mum', 'dad', 'sister', 'brother', 'sibling', 'siblings', 'sisters', 'brothers', 'son', 'sons',
  'daughter', 'daughters', 'aunt', 'uncle', 'cousin', 'grandmother', 'grandfather', 'grandma', 'grandpa', 'grandparent', 'grandparents', 'parent', 'parents',
  'niece', 'nephew', 'twin', 'stepmother', 'stepfather', 'granddaughter', 'grandson', 'relative', 'relatives']);
/** Verbs that make the relative the subject whose condition follows ("sister was diagnosed with"). */
const SUBJECT_VERBS = new Set(['was', 'is', 'has', 'had', 'have', 'were', 'are', 'died', 'diagnosed', 'developed', 'suffered', 'suffers', 'passed', 'got', 'also', 'both', 'with']);
/** Words that hand the sentence back to the patient or close the relative's clause. */
const SUBJECT_END = new Set(['patient', 'pt', 'but', 'however', 'whereas', 'while', 'whilst', 'although', 'though', 'except', 'herself', 'himself', 'themselves', 'which', 'who']);

/**
 * A relative named as the subject of the clause holding the concept ("Her sister was diagnosed
 * with type 1 diabetes", "his father died of MI"): the condition is the relative's. Looks back
 * at most 12 tokens within the sentence; returns the relative word or null.
 */
function familySubject(tokens: Token[], sentence: Int32Array, first: number): string | null {
  const sid = sentence[first]!;
  for (let j = first - 1; j >= 0 && j >= first - 12 && sentence[j] === sid; j--) {
    const t = tokens[j]!;
    if (isBarrier(t) || SUBJECT_END.has(t.norm)) return null;
    if (t.kind === 1 && RELATIVES.has(t.norm)) {
      const next = tokens[j + 1];
      if (next && (SUBJECT_VERBS.has(next.norm) || next.norm === "'s")) return t.norm;
    }
  }
  return null;
}

/** True when the token at `i` ends the clause (end of text/sentence, or punctuation). */
function clauseFinal(tokens: Token[], sentence: Int32Array, i: number): boolean {
  const next = tokens[i];
  if (!next) return true;
  if (sentence[i] !== sentence[i - 1]) return true;
  return next.kind === 3 && next.norm !== '/' && next.norm !== '-';
}
