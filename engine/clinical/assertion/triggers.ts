/**
 * ConText-style trigger lexicon. Each phrase has a category and scopes: a forward scope (`pre`,
 * in tokens) over the following tokens and/or a backward scope (`post`) over the preceding ones.
 * `pseudo` phrases look like triggers but are not ("no change", "gram negative", "year old");
 * they are matched only so the shorter trigger inside them is not. `terminate` phrases end a
 * scope ("but", "however", "presents with"). Scopes also end at sentence ends and ";".
 */
import { PhraseTrie } from '../text/phrase-trie.js';

export type TriggerCategory = 'negated' | 'historical' | 'family' | 'hypothetical' | 'uncertain' | 'pseudo' | 'terminate';

export interface Trigger {
  cat: TriggerCategory;
  /** Forward scope in tokens (0 = not a pre-trigger). */
  pre: number;
  /** Backward scope in tokens (0 = not a post-trigger). */
  post: number;
  /** The phrase, lower-cased. */
  phrase: string;
}

const PRE = 30;
const POST = 8;

type Row = [TriggerCategory, 'pre' | 'post' | 'both', number, string[]];

const TABLE: Row[] = [
  ['negated', 'pre', PRE, ['no', 'not', 'denies', 'denied', 'deny', 'denying', 'negative for', 'neg for', 'without', 'w/o', 'absence of', 'absent', 'free of',
    'no evidence of', 'no evidence for', 'no signs of', 'no sign of', 'no symptoms of', 'no history of', 'no hx of', 'no h/o', 'no prior history of', 'no past history of',
    'no known', 'no family history of', 'no fh of', 'no fhx of', 'denies history of', 'denies any history of', 'denies any', 'negative history of', 'never had', 'never',
    'has never had', 'ruled out', 'rules out', 'does not have', "doesn't have", 'did not have', "didn't have", 'no complaints of', 'nor', 'neither', 'fails to reveal',
    'failed to reveal', 'no suggestion of', 'no clinical evidence of', 'no further', 'no longer', 'no new', 'no recent', 'no acute', 'resolution of', 'not have',
    'unremarkable for', 'no obvious', 'no significant', 'no definite', 'no apparent', 'without any', 'no episodes of', 'not experiencing', 'no report of', 'no reports of',
    'denies having', 'not had', 'has not had', "hasn't had", 'no active', 'not suggestive of', 'inconsistent with', 'not consistent with', 'negative', '-ve for', 'nil', 'nil of',
    'no personal history of', 'no past medical history of', 'no pmh of', 'no previous', 'no prior', 'not any',
    'no longer has', 'no longer have', 'no longer having', 'no longer complains of', 'no longer reports', 'no more']],
  ['negated', 'pre', 1, ['non', 'un']],
  ['negated', 'post', POST, ['ruled out', 'was ruled out', 'is ruled out', 'has been ruled out', 'been ruled out', 'were ruled out', 'is negative', 'was negative', 'were negative',
    'not seen', 'not present', 'not detected', 'not found', 'excluded', 'was excluded', 'has been excluded', 'unlikely', 'is unlikely', 'is absent', 'was absent', 'not identified',
    'negative', 'denied', 'denies', 'absent', 'none', 'no', 'nil', 'not noted', 'not evident']],
  ['historical', 'pre', 5, ['s/p', 'status post', 'post']],
  ['historical', 'pre', PRE, ['history of', 'hx of', 'h/o', 'past history of', 'previous', 'previously', 'prior', 'prior history of', 'remote',
    'remote history of', 'in the past', 'history significant for', 'history notable for', 'previous history of', 'resolved', 'was treated for', 'previously treated for',
    'known history of', 'longstanding history of', 'long history of', 'hist of', 'pmh of', 'pmhx of', 'pmh significant for', 'pmh notable for', 'past medical history of',
    'past medical history significant for', 'medical history of', 'personal history of', 'previous episode of', 'previous episodes of', 'prior episode of', 'hx significant for']],
  ['historical', 'post', 3, ['in the past', 'years ago', 'yrs ago', 'months ago', 'weeks ago', 'year ago', 'as a child', 'in childhood', 'previously', 'resolved', 'has resolved',
    'in remission', 'now resolved', 'since resolved', 'in the distant past', 'many years ago', 'decades ago']],
  ['family', 'pre', PRE, ['family history of', 'family history significant for', 'family history positive for', 'family history notable for', 'family hx of', 'fhx of',
    'fh of', 'fhx', 'fh', 'mother had', 'father had', 'mother has', 'father has', 'strong family history of', 'family history', 'fam hx of', 'fam hx',
    'mother with', 'father with', 'mother died of', 'father died of', 'died of', 'passed away from', 'mother diagnosed with', 'father diagnosed with', 'family hx']],
  ['family', 'pre', 8, ['mother', 'father', 'brother', 'sister', 'sibling', 'siblings', 'mom', 'dad', 'grandmother', 'grandfather', 'aunt', 'uncle', 'cousin',
    'maternal', 'paternal', 'parents', 'son', 'daughter', 'grandparents', 'family members', 'family member', 'relatives', 'first degree relative', 'brothers', 'sisters',
    'mum', "mother's", "father's", 'maternal grandmother', 'paternal grandfather', 'maternal grandfather', 'paternal grandmother']],
  ['family', 'post', POST, ['in mother', 'in father', 'in his mother', 'in her mother', 'in his father', 'in her father', 'in family', 'in the family', 'in sibling', 'in siblings',
    'runs in the family', 'runs in family', 'in brother', 'in sister', 'in first degree relatives', 'in a first degree relative']],
  ['hypothetical', 'pre', PRE, ['if', 'return if', 'call if', 'in case of', 'in case', 'should she', 'should he', 'should they', 'should symptoms', 'should you', 'if symptoms',
    'return for', 'return with', 'seek medical attention if', 'seek care if', 'watch for', 'monitor for', 'monitoring for', 'look out for', 'warning signs of',
    'signs and symptoms of', 'risk of', 'at risk for', 'at risk of', 'risk for', 'to prevent', 'prevention of', 'prophylaxis for', 'prophylaxis against', 'to avoid',
    'in the event of', 'unless', 'screening for', 'screen for', 'whether', 'counseled on', 'counselled on', 'educated on', 'educated about', 'advised about',
    'information about', 'reduce the risk of', 'lower the risk of', 'to reduce risk of', 'may develop', 'could develop', 'when needed for', 'prn for', 'as needed for',
    'go to the ed if', 'go to a&e if', 'come back if', 'report any', 'concerns about', 'worried about', 'concerned about', 'fear of', 'afraid of', 'in the event',
    'return to the ed if', 'return to ed if', 'seek medical attention for', 'present if']],
  ['hypothetical', 'post', 3, ['prophylaxis', 'prevention', 'screening', 'risk', 'precautions', 'risk assessment', 'risk factors', 'risk factor', 'education', 'protocol']],
  ['uncertain', 'pre', 12, ['possible', 'possibly', 'probable', 'probably', 'likely', 'most likely', 'suspected', 'suspect', 'suspicious for', 'suspicion of', 'suspicion for',
    'concern for', 'concerning for', 'r/o', 'rule out', 'ruling out', 'to rule out', 'question of', 'questionable', '?', 'may have', 'might have', 'may be', 'could be',
    'cannot exclude', 'cannot rule out', "can't rule out", 'can not rule out', 'cannot be ruled out', 'not ruled out', 'not been ruled out', 'not excluded', 'differential includes',
    'differential diagnosis includes', 'ddx', 'differential', 'differentials include', 'consider', 'considering', 'presumed', 'presumptive', 'equivocal', 'query', 'worrisome for',
    'evaluate for', 'evaluation for', 'assess for', 'workup for', 'work up for', 'w/u for', 'investigate for', 'investigation for', 'tested for', 'test for', 'testing for',
    'versus', 'vs', 'uncertain', 'unclear if', 'unclear whether', 'not sure if', 'not sure whether', 'not certain', 'impression of possible', 'for possible',
    'suggestive of', 'suggests', 'compatible with', 'probable diagnosis of', 'working diagnosis of', 'rule out possible', 'raising the possibility of', 'doubt', 'presumably',
    'not sure', 'unsure', 'unsure if', 'cannot be excluded', 'can not exclude', 'unable to exclude', 'unable to rule out']],
  ['uncertain', 'post', POST, ['possible', 'suspected', 'is possible', 'is suspected', 'was suspected', 'is likely', 'likely', 'vs', 'versus', '?', 'query', 'not excluded',
    'cannot be excluded', 'cannot be ruled out', 'not ruled out', 'is questionable', 'questionable', 'is considered', 'to be ruled out', 'to be excluded', 'or not']],
  ['pseudo', 'both', 0, ['no increase', 'no change', 'no significant change', 'no interval change', 'not only', 'gram negative', 'not necessarily', 'no decrease', 'no improvement',
    'not cause', 'not drain', 'not extend', 'without difficulty', 'not certain whether', 'no suspicious change', 'not been able', 'not able',
    'if necessary', 'if needed', 'if required', 'if possible', 'as if', 'even if', 'only if', 'see if', 'check if', 'ask if', 'asked if', 'not limited to', 'no other',
    'either', 'history and physical', 'history and exam', 'history taken', 'clinical history', 'history obtained', 'history from', 'medical history',
    'past medical history', 'social history', 'surgical history', 'history of present illness', 'history of presenting illness', 'previous visit', 'prior visit', 'prior to',
    'previous to', 'on prior', 'compared to prior', 'compared with prior', 'prior study', 'previous study', 'prior exam', 'prior imaging', 'old records', 'old notes',
    'year old', 'years old', 'yr old', 'month old', 'week old', 'day old', 'negative and', 'patient report', 'should be', 'would like', 'past week', 'past few days',
    'past month', 'past year', 'past two weeks', 'past 2 weeks', 'past several days', 'past 3 days', 'past 24 hours', 'past few weeks', 'last visit', 'previously prescribed',
    'previously on', 'son in law', 'daughter in law', 'with son', 'with daughter', 'with husband', 'with wife', 'by daughter', 'by son', 'accompanied by', 'per daughter',
    'per son', 'per mother', 'per family', 'lives with', 'stays with', 'cared for by', 'at bedside', 'no known drug allergies', 'no known allergies', 'not tolerated',
    'no acute distress', 'negative pressure', 'no cough medicine', 'not on', 'not taking', 'not currently on', 'not currently taking',
    'not yet on', 'not on any']],
  ['terminate', 'both', 0, ['but', 'however', 'although', 'though', 'except', 'aside from', 'apart from', 'other than', 'yet', 'still', 'which', 'who', 'presents', 'presented',
    'presenting', 'presents with', 'complains', 'complaining', 'complains of', 'c/o', 'admits', 'admitted', 'endorses', 'endorsed', 'reports', 'reported', 'has', 'says', 'said',
    'positive for', 'notable for', 'significant for', 'secondary to', 'due to', 'cause of', 'source of', 'etiology of', 'aetiology of', 'because', 'since', 'now', 'currently',
    'today', 'patient', 'pt', 'states', 'stated', 'describes', 'notes', 'noted', 'found', 'developed', 'diagnosed', 'diagnosed with', 'presented with',
    'and has', 'and is', 'admitted with', 'admitted for', 'treated with', 'started on', 'given', 'continue', 'continues', 'start', 'started', 'assessment', 'plan', 'impression',
    'whereas', 'while', 'whilst', 'instead', 'otherwise', 'then', 'unfortunately', 'nevertheless', 'nonetheless', 'his', 'her', 'him', 'mrs', 'mr', 'ms']],
];

/** Post-triggers that count only when they end their clause ("Fever: no.", "pneumonia?"). */
export const CLAUSE_FINAL_POST = new Set(['no', 'none', 'negative', 'denied', 'denies', 'absent', 'nil', 'likely', 'possible', 'questionable', 'query', '?']);

let trie: PhraseTrie<Trigger> | null = null;

/** The compiled trigger trie (built once, shared). */
export function triggerTrie(): PhraseTrie<Trigger> {
  if (trie) return trie;
  const t = new PhraseTrie<Trigger>();
  const seen = new Map<string, Trigger>();
  for (const [cat, dir, window, phrases] of TABLE) {
    for (const p of phrases) {
      const key = p.toLowerCase();
      const pre = dir === 'post' ? 0 : window;
      const post = dir === 'pre' ? 0 : window;
      const prev = seen.get(key);
      if (prev) {
        // The same phrase as pre- and post-trigger of one category: one entry with both scopes.
        if (prev.cat === cat) { prev.pre = Math.max(prev.pre, pre); prev.post = Math.max(prev.post, post); }
        continue;
      }
      const trig: Trigger = { cat, pre, post, phrase: key };
      seen.set(key, trig);
      t.add(p, trig);
    }
  }
  trie = t;
  return t;
}
