/**
 * Puts a patient's chat message into the one spelling the triage patterns are written against:
 * lower case, straight apostrophes, contractions spelled out ("can't" → "can not", "dont" →
 * "do not", "I'm" → "i am"), common misspellings of the words the patterns need corrected
 * ("chets pian" → "chest pain", "siezure" → "seizure"), one space between words. Pure and
 * linear in the message length; the result is only matched, never shown or logged.
 */

/** Misspellings seen in patient messages → the spelling the patterns use. */
const SPELLING = new Map<string, string>(Object.entries({
  chset: 'chest', chets: 'chest', chesst: 'chest', cheast: 'chest', chect: 'chest', chst: 'chest', chestt: 'chest', chestpain: 'chest pain',
  pian: 'pain', paine: 'pain', pein: 'pain', pane: 'pain', pains: 'pain',
  brethe: 'breathe', breth: 'breath', brathe: 'breathe', breeth: 'breath', breate: 'breathe', breathee: 'breathe',
  breating: 'breathing', brething: 'breathing', breathin: 'breathing', braething: 'breathing', breahting: 'breathing',
  brethless: 'breathless', breathles: 'breathless', breathlesness: 'breathlessness',
  stroak: 'stroke', storke: 'stroke', strok: 'stroke',
  siezure: 'seizure', sezure: 'seizure', seisure: 'seizure', seazure: 'seizure', ceasure: 'seizure', seizur: 'seizure', seziure: 'seizure',
  siezures: 'seizures', seisures: 'seizures', sezures: 'seizures', siezing: 'seizing',
  bleading: 'bleeding', bleding: 'bleeding', bleeeding: 'bleeding', bledding: 'bleeding', bleedin: 'bleeding',
  unconcious: 'unconscious', unconsious: 'unconscious', unconscous: 'unconscious', unconsciuos: 'unconscious', unconcsious: 'unconscious',
  concious: 'conscious', consious: 'conscious', conciousness: 'consciousness', consciousnes: 'consciousness',
  sucide: 'suicide', suicde: 'suicide', suiside: 'suicide', suicied: 'suicide', sucidal: 'suicidal', suicidle: 'suicidal',
  suicidel: 'suicidal', suisidal: 'suicidal', sucicidal: 'suicidal', suicidial: 'suicidal',
  overdos: 'overdose', overdoze: 'overdose', ovedose: 'overdose', overdoose: 'overdose', overdosed: 'overdosed',
  vomitting: 'vomiting', vommiting: 'vomiting', vommitting: 'vomiting', vomting: 'vomiting', vomitted: 'vomited', vommited: 'vomited',
  blod: 'blood', bloood: 'blood', bllod: 'blood', bloody: 'bloody',
  fainded: 'fainted', feinted: 'fainted', feinting: 'fainting',
  alergic: 'allergic', allergick: 'allergic', alergik: 'allergic', allergik: 'allergic', alergy: 'allergy',
  anaphalaxis: 'anaphylaxis', anaphylaxsis: 'anaphylaxis', anafalaxis: 'anaphylaxis', anaphylaxsys: 'anaphylaxis',
  anaphylatic: 'anaphylactic', anaphalactic: 'anaphylactic', anafylactic: 'anaphylactic',
  swolen: 'swollen', swollon: 'swollen', sweling: 'swelling', swellin: 'swelling',
  tounge: 'tongue', toungue: 'tongue', tonge: 'tongue', thraot: 'throat', throte: 'throat', thorat: 'throat',
  stomache: 'stomach', stomch: 'stomach', stumach: 'stomach', abdomin: 'abdomen', abdomnal: 'abdominal', abdominel: 'abdominal',
  pregnent: 'pregnant', pregant: 'pregnant', pregnat: 'pregnant', prenant: 'pregnant', pragnent: 'pregnant', pregnancey: 'pregnancy',
  miscarrage: 'miscarriage', miscariage: 'miscarriage', miscarridge: 'miscarriage',
  slured: 'slurred', slurd: 'slurred', slurrd: 'slurred',
  numbnes: 'numbness', drouping: 'drooping', drooped: 'drooped',
  vison: 'vision', visoin: 'vision', eysight: 'eyesight', eyesite: 'eyesight',
  unresposive: 'unresponsive', unresponsve: 'unresponsive',
  kil: 'kill', mysef: 'myself', myslef: 'myself', myslf: 'myself',
  heartattack: 'heart attack', hart: 'heart', haert: 'heart',
  tablest: 'tablets', tabelts: 'tablets', tablats: 'tablets', pils: 'pills',
  wanna: 'want to', gonna: 'going to', gotta: 'got to', pls: 'please', plz: 'please', u: 'you', ur: 'your',
}));

/** "don't" and friends written without the apostrophe. */
const BARE_NOT = new Map<string, string>(Object.entries({
  dont: 'do not', doesnt: 'does not', didnt: 'did not', cant: 'can not', cannot: 'can not', wont: 'will not', isnt: 'is not',
  wasnt: 'was not', arent: 'are not', werent: 'were not', havent: 'have not', hasnt: 'has not', hadnt: 'had not',
  couldnt: 'could not', wouldnt: 'would not', shouldnt: 'should not', aint: 'is not', im: 'i am', ive: 'i have',
}));

const IRREGULAR_NOT: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall', ai: 'is' };

const QUOTES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
const NOT_CONTRACTION = /\b([a-z]+)n't\b/g;
const PRONOUN_CONTRACTION = /\b(i|you|we|they|he|she|it|that|there|what)'(m|re|ve|ll|d|s)\b/g;
const WORDS = /[a-z]+/g;
const SPACES = /\s+/g;
const EXPAND: Record<string, string> = { m: 'am', re: 'are', ve: 'have', ll: 'will', d: 'would', s: 'is' };

/** The canonical form of `message` that the triage patterns match. */
export function normalizeMessage(message: string): string {
  return message
    .normalize('NFKC')
    .toLowerCase()
    .replace(QUOTES, "'")
    .replace(NOT_CONTRACTION, (_m, stem: string) => `${IRREGULAR_NOT[stem] ?? stem} not`)
    .replace(PRONOUN_CONTRACTION, (_m, who: string, tail: string) => `${who} ${EXPAND[tail] ?? tail}`)
    .replace(WORDS, (w) => BARE_NOT.get(w) ?? SPELLING.get(w) ?? w)
    .replace(SPACES, ' ')
    .trim();
}

/**
 * Where one statement ends and the next begins: sentence ends, ";", new lines, and the
 * conjunctions that turn a sentence round ("no chest pain but now I can't breathe").
 */
const CLAUSE_BREAK = /[.!?;\n]+(?=\s|$)|[!?;\n]+|,?\s(?:but|however|although|though|whereas|except that|and now)\s|,\s*now\s/g;

/** Splits a normalised message into clauses (trimmed, none empty). */
export function splitClauses(normalized: string): string[] {
  return normalized.split(CLAUSE_BREAK).map((c) => c.trim()).filter((c) => c !== '');
}
