/**
 * What the extractive answerer reads from a question: its weighted search terms (with the
 * clinical words for lay phrases), what kind of fact it asks for, the time it asks about (and how
 * many values back from it), and any date it names.
 */
import { clinicalTerms, indexTerms } from '../../retrieval/clinical-tokens.js';
import { layExpansions } from '../../retrieval/lay-terms.js';
import { type Recency, temporalCue } from '../../retrieval/temporal-cue.js';
import { sentenceFacts } from './answer-facts.js';
import { stepsBack } from './follow-up-query.js';

export type FactIntent = 'medication' | 'lab' | 'condition';

export interface QueryProfile {
  /** Term → weight: 1 for a content word or concept of the question, EXPANSION_WEIGHT for a clinical word of a lay phrase, FRAMING_WEIGHT for a word that frames a question. */
  terms: Map<string, number>;
  intents: Set<FactIntent>;
  /** Whether the question names a subject (a term of weight 1), not only a kind of fact. */
  named: boolean;
  recency: Recency | null;
  /** Dated values back from the latest (or earliest) the question asks for: 1 for "the one before that". */
  stepsBack: number;
  /** Readings (`YYYY-MM-DD`, `YYYY-MM`) of dates the question names. */
  dates: Set<string>;
}

/** Words that say how a question is asked, not what it is about; alone they make nothing relevant. */
const FRAMING = clinicalTerms(
  'now current currently latest last recent recently most dose doses dosage result results level levels test tests value values ' +
    'reading readings taking take took medicine medicines medication medications tablet tablets pill pills drug drugs record records ' +
    'say says said show shows showed doctor doctors letter report reports get got give given check checked much many long often ' +
    'kind type sort need needed supposed start started stop stopped time times day days date did done happen happened ' +
    'history ever previous previously past before again',
);
export const FRAMING_WEIGHT = 0.25;
export const EXPANSION_WEIGHT = 0.5;

const INTENTS: ReadonlyArray<[FactIntent, RegExp]> = [
  ['medication', /\b(?:medicines?|medications?|meds|tablets?|pills?|drugs?|doses?|dosage|taking|prescribed|prescriptions?|inhalers?|injections?)\b/i],
  ['lab', /\b(?:results?|levels?|tests?|bloods?|blood work|readings?|values?|labs?|counts?)\b/i],
  ['condition', /\b(?:conditions?|diagnos[ie]s|diagnosed|problems?|illness(?:es)?|diseases?)\b/i],
];

export function queryProfile(question: string): QueryProfile {
  const framing = new Set(FRAMING);
  const terms = new Map<string, number>();
  for (const t of indexTerms(question)) terms.set(t, framing.has(t) ? FRAMING_WEIGHT : 1);
  // The clinical words for a lay phrase ("sugar test" → HbA1c, glucose, diabetes) are guesses at
  // what was meant: each counts half, and their concept ids repeat them, so they do not count.
  for (const t of indexTerms(layExpansions(question).join(' '))) if (!terms.has(t) && !t.includes(':')) terms.set(t, framing.has(t) ? FRAMING_WEIGHT : EXPANSION_WEIGHT);
  const intents = new Set<FactIntent>();
  for (const [intent, re] of INTENTS) if (re.test(question)) intents.add(intent);
  return { terms, intents, named: [...terms.values()].some((w) => w >= EXPANSION_WEIGHT), recency: temporalCue(question), stepsBack: stepsBack(question), dates: new Set(sentenceFacts(question).dates.flat()) };
}
