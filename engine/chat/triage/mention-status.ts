/**
 * Is one symptom mention negated ("no chest pain", "denies chest pain or fainting", "chest pain
 * is not there") or resolved ("the chest pain went away last year")? Both read the words around
 * the mention's `SYMPTOM` token in its clause (see `mention-tokens.ts`).
 *
 * Negation is deliberately narrow. A cue ("no", "not", "never", "denies", "without", "free of",
 * …) negates a mention only when nothing but filler ("have not *had any* chest pain") and a list
 * of other symptoms ("no *fever, cough or* chest pain") stands between them. A cue followed by a
 * comma is an answer, not a negation ("No, I have chest pain"). A list carries the negation only
 * when it is joined by "or"/"nor" and only to noun-like mentions: "no fever and chest pain", "no
 * fever, chest pain since morning" and "no chest pain or can't breathe" trigger. And "never had
 * chest pain like this / until now" is a new symptom, not a negated one.
 */
import { SYMPTOM } from './mention-tokens.js';

const words = (s: string): Set<string> => new Set(s.split(' '));

const NEG_ONE = words('no not never nor without denies denied deny denying nil neither none');
const NEG_TWO = new Set(['negative_for', 'free_of', 'free_from', 'no_more', 'no_longer', 'none_of']);
/** Words that may stand between a negation cue and the mention (after any list). */
const FILLER = words('any more further new recent the a an of had have has having got get gotten getting felt feel feeling experienced experiencing noticed ' +
  'noticing seen been suffered suffering from with episodes episode signs sign symptoms symptom evidence complaints complaint such kind sort type even ever once ' +
  'single one really much all that this these those some my his her their there is are was were be am do does did again reported report reports history hx ' +
  'actual true proper other else real significant obvious major serious anymore think thinking about thoughts thought ideas urges plans intention intent feelings');
/** Adjectives that may come right before a mention or a list item. */
const MODIFIER = words('severe sudden any new bad acute serious major real significant further more obvious recent mild slight little actual proper true such very ' +
  'really extreme heavy sharp constant the a an some other persistent ongoing');
/** Everyday symptoms that may be list items beside an urgent one. */
const ITEM = words('fever fevers temperature cough coughing cold colds flu headache headaches nausea nauseous vomiting vomit diarrhoea diarrhea dizziness dizzy ' +
  'giddiness giddy palpitations palpitation pain ache aches aching swelling swollen rash rashes sweating sweats fatigue tiredness tired weakness tingling ' +
  'wheeze wheezing constipation chills shivering shortness breathlessness breath sob cramps cramping discomfort bleeding problems problem trouble issues ' +
  'itching soreness sore throat runny nose sneezing burning joint back neck leg legs arm arms ankle ankles knee stomach tummy abdominal belly of in ' + SYMPTOM);
const CONNECTOR = words(', / or nor');
const OR = words('/ or nor');
/** A mention that starts like this is a verb phrase, which a list does not negate. */
const VERBAL_START = /^(?:can|not|unable|struggling|passed|passing|pass|fainted|collapsed|collapsing|keeled|went|gone|going|took|taken|swallowed|ate|drank|want|wanted|kill|killing|end|ending|is|are|will|does|do|stopped|stop|hit|used|need|call|should|feel|feeling|felt|hang|jump|throw|slit|cutting|harming|hurt|lost|losing|lose|wish|gasping|choking|seizing|fitting|having|had|has|get|gets|getting)\b/;
/** After a negated mention these make it a new symptom: "never had chest pain like this". */
const NEW_AFTER = /^(?:like (?:this|that|it)|this bad|so bad|this severe|as bad|(?:until|till|til) (?:now|today|tonight|this|yesterday|last|recently|an|a|just)|before (?:now|today))\b/;
const NEVER_BEFORE = /^before\b/;

/** Post-mention negation ("chest pain is not there", "chest pain: none"). */
const POST_FILLER = words('is was are were has have been now completely totally fully all already it that also too quite really actually at anymore : ,');
const POST_NEG = /^(?:not (?:there|present|anymore|any more|a problem|an issue|at all|now|since|felt|seen)|no more|no longer|none|nil|negative|absent|denied|no(?= *$| *,))/;

/** Words that may stand between a mention and the words saying it has gone. */
const RES_FILLER = words('is was are were has have had been now completely totally fully all already it that also too quite really actually on in at last ' +
  'monday tuesday wednesday thursday friday saturday sunday yesterday week weeks month months year years ago day days hour hours minute minutes a an the few ' +
  'couple of after within by itself its own , and then which they soon quickly eventually slowly gradually finally later afterwards but just');
const RESOLVED = /^(?:went away|gone away|go away|went off|gone|disappeared|resolved|settled|cleared|stopped|subsided|ended|is over|was over|healed|cured|finished|passed(?! out))\b/;

function cueAt(tokens: readonly string[], i: number): string | null {
  if (i < 0) return null;
  if (i >= 1 && NEG_TWO.has(`${tokens[i - 1]}_${tokens[i]}`)) return `${tokens[i - 1]} ${tokens[i]}`;
  return NEG_ONE.has(tokens[i]!) ? tokens[i]! : null;
}

const isListWord = (t: string): boolean => ITEM.has(t) || MODIFIER.has(t);

/** "no fever, chest pain or cough": the list goes on past the mention and ends in "or". */
function orFollows(tokens: readonly string[], k: number): boolean {
  for (let i = k + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (OR.has(t)) return true;
    if (t !== ',' && !isListWord(t)) return false;
  }
  return false;
}

/** The negation cue governing the mention at token `k`, or null. */
function negationBefore(tokens: readonly string[], k: number, mentionText: string): string | null {
  let i = k - 1;
  while (i >= 0 && MODIFIER.has(tokens[i]!) && cueAt(tokens, i) === null) i--;
  let cue = cueAt(tokens, i);
  if (cue !== null) return cue;
  const nearest = tokens[i];
  let listed = false;
  while (i >= 0 && CONNECTOR.has(tokens[i]!)) {
    let j = i - 1;
    while (j >= 0 && CONNECTOR.has(tokens[j]!)) j--; // ", or"
    let items = 0;
    while (j >= 0 && cueAt(tokens, j) === null && isListWord(tokens[j]!)) {
      if (ITEM.has(tokens[j]!)) items++;
      j--;
    }
    if (items === 0) return null;
    listed = true;
    i = j;
    cue = cueAt(tokens, i);
    if (cue !== null) break;
  }
  if (listed) {
    // Only a real list carries a negation ("no fever or chest pain"); "no fever, chest pain since
    // this morning" says two things, and verb phrases are never list items.
    const realList = OR.has(nearest!) || orFollows(tokens, k);
    if (cue === null || !realList || VERBAL_START.test(mentionText)) return null;
    return cue;
  }
  for (let steps = 0; i >= 0 && steps < 8; steps++, i--) {
    cue = cueAt(tokens, i);
    if (cue !== null) return cue;
    if (!FILLER.has(tokens[i]!)) return null;
  }
  return null;
}

function skipList(tokens: readonly string[], from: number): number {
  let i = from;
  while (i < tokens.length && CONNECTOR.has(tokens[i]!)) {
    let j = i + 1;
    let items = 0;
    while (j < tokens.length && (ITEM.has(tokens[j]!) || MODIFIER.has(tokens[j]!))) {
      if (ITEM.has(tokens[j]!)) items++;
      j++;
    }
    if (items === 0) return i;
    i = j;
  }
  return i;
}

function rest(tokens: readonly string[], from: number): string {
  return tokens.slice(from, from + 6).join(' ');
}

/**
 * True when the mention at token `k` (whose matched text is `mentionText`) is negated in its
 * clause.
 */
export function isNegated(tokens: readonly string[], k: number, mentionText: string): boolean {
  const cue = negationBefore(tokens, k, mentionText);
  if (cue !== null) {
    const after = rest(tokens, skipList(tokens, k + 1));
    if (NEW_AFTER.test(after)) return false;
    if (cue === 'never' && NEVER_BEFORE.test(after)) return false;
    return true;
  }
  let i = skipList(tokens, k + 1);
  for (let steps = 0; i < tokens.length && steps < 4 && POST_FILLER.has(tokens[i]!); steps++) i++;
  return POST_NEG.test(rest(tokens, i));
}

/** True when words after the mention at token `k` say it has gone ("went away last year"). */
export function isResolvedAfter(tokens: readonly string[], k: number): boolean {
  for (let i = k + 1, steps = 0; i < tokens.length && steps < 10; i++, steps++) {
    const t = tokens[i]!;
    if (t === SYMPTOM) return false;
    if (RESOLVED.test(rest(tokens, i))) return true;
    if (!RES_FILLER.has(t) && !/^\d+$/.test(t)) return false;
  }
  return false;
}

const PRESENT_VERB = words('have has having get gets getting got feel feels feeling experiencing am is are');
const SUBJECT = words('i he she we they it baby child son daughter husband wife mum mom dad father mother');
const AFTER_PRESENT = /^(?:i|he|she|we|they) (?:have|has|am having|is having|are having|get|gets|keep getting|feel|am getting|is getting)(?: (?:now|right now|today|at the moment|currently|again))?$/;
const CONDITIONAL = words('if when whenever unless case');

/**
 * True when the mention is said in the present tense right where it stands: "I have chest pain",
 * "he is having a seizure", "the chest pain I have".
 */
export function isPresentTense(tokens: readonly string[], k: number): boolean {
  let i = k - 1;
  while (i >= 0 && MODIFIER.has(tokens[i]!)) i--;
  const verb = tokens[i];
  const before = tokens[i - 1] ?? '';
  // "I have got chest pain" is present; "I got chest pain in 2019" is not.
  const subjectOk = verb === 'got' ? before === 'have' || before === 'has' : SUBJECT.has(before) || PRESENT_VERB.has(before);
  if (verb !== undefined && PRESENT_VERB.has(verb) && subjectOk && !CONDITIONAL.has(tokens[i - 2] ?? '')) return true;
  return AFTER_PRESENT.test(rest(tokens, k + 1));
}

const EVENT_PREP = words('after following since before during post from with');
const POSSESSIVE = words('my his her their the that our');
const WHO_HAD = /^(?:had|has had|have had|suffered|survived)$/;

/**
 * True when the mention names a past event rather than a symptom: "after my heart attack",
 * "since his stroke", "my father who had a stroke".
 */
export function isPastEvent(tokens: readonly string[], k: number): boolean {
  let i = k - 1;
  while (i >= 0 && (MODIFIER.has(tokens[i]!) && !POSSESSIVE.has(tokens[i]!))) i--;
  if (i >= 1 && POSSESSIVE.has(tokens[i]!) && EVENT_PREP.has(tokens[i - 1]!)) return true;
  const had = i >= 2 && WHO_HAD.test(`${tokens[i - 1]} ${tokens[i]}`) ? i - 2 : WHO_HAD.test(tokens[i] ?? '') ? i - 1 : -1;
  return had >= 0 && /^(?:who|which|that)$/.test(tokens[had]!);
}
