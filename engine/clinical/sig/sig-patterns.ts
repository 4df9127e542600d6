/**
 * The regular expressions of the sig grammar, built once at module load. Input is the sig
 * lower-cased (ASCII only, so offsets are unchanged) with dashes, "×", tabs and pipes mapped to
 * single ASCII characters. L/R are word boundaries that also work next to dots ("b.i.d.").
 */
import { NUM_SRC, RANGE_SEP_SRC } from './numbers.js';
import { DOSE_UNIT_SRC } from './dose-units.js';
import { ROUTE_PHRASES } from './routes.js';

export const L = '(?<![a-z0-9])';
export const R = '(?![a-z0-9])';
const N = NUM_SRC;
const NR = `(${N})(?:${RANGE_SEP_SRC}(${N}))?`;
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const g = (src: string): RegExp => new RegExp(src, 'g');

export const AS_DIRECTED = g(`${L}(?:(?:use|take|apply|inject) )?(?:as directed|as instructed|as advised|as per (?:instructions|doctor|physician|gp|consultant|protocol|sliding scale|chart)|per (?:instructions|protocol|sliding scale)|on sliding scale|sliding scale|according to (?:instructions|protocol)|u\\.?d\\.|ut dict(?:um)?|mdu|as dir\\.?)${R}`);

const PERIOD_UNIT = '(hours?|hrs?|h|days?|d|24\\s?hours|24\\s?hrs?|24\\s?h|weeks?|wks?|wk|months?)';
export const MAX_DOSE = g(`${L}(?:max(?:imum)?\\.?(?: dose)?|not to exceed|do not exceed|no more than|not more than|nte|up to a max(?:imum)? of|max(?:imum)? of)(?: of)?:?\\s?(${N})\\s?(${DOSE_UNIT_SRC})?(?:\\s?(?:doses|times))?\\s?(?:in|per|/|every|a|each|in any|within)\\s?(?:(\\d+)\\s?)?${PERIOD_UNIT}${R}`);

const DUR_UNIT = '(days?|din|nights|d|weeks?|wks?|wk|w|months?|mos?|mo|years?|yrs?|hours?|hrs?|h)';
export const DURATION = g(`${L}(?:for|x)\\s?(?:a total of |the next |the following |another |a further |further )?${NR}\\s?(?:more |further |additional )?-?${DUR_UNIT}${R}`);
export const DURATION_COURSE = g(`${L}${NR}[- ]?(day|week|month)s? (?:course|supply|treatment)${R}`);
export const DURATION_UK = g(`${L}(?:(for|x)\\s?)?(\\d{1,2})/(7|52|12)${R}`);
export const DURATION_COUNT = g(`${L}(?:for|x|times|total of|for a total of)\\s?(${N})\\s?(?:doses?|administrations?|injections?|treatments?|applications?)${R}`);
export const UNTIL_FINISHED = g(`${L}(?:until|till|til|untill) (?:finished|gone|all (?:taken|gone|used|finished)|(?:the )?course (?:is )?(?:complete|completed|finished)|completed|complete|done|used up|(?:the )?(?:bottle|pack|box|supply|prescription) is (?:finished|empty|gone))${R}|${L}(?:to )?complete (?:the )?(?:full |entire |whole )?course${R}`);

export const AS_NEEDED = g(`${L}(?:p\\.?\\s?r\\.?\\s?n\\.?|as needed|as required|when required|if required|when needed|if needed|as necessary|when necessary|if necessary|as per need|on demand|s\\.?o\\.?s\\.?|when req(?:uired|d)?|as req(?:uired|d)?|as and when(?: required| needed)?|as need)${R}`);

export const TIME_OF_DAY = g(`${L}(?:at )?(\\d{1,2})(?::([0-5]\\d))?\\s?(a\\.?m\\.?|p\\.?m\\.?)(?![a-z])|${L}(?:at )?([01]?\\d|2[0-3]):([0-5]\\d)(?:\\s?(?:hrs|h))?${R}|${L}at (\\d{2})00\\s?h(?:rs?)?${R}`);

export const HOURLY = g(`${L}(?:every|each|q\\.?)\\s?${NR}\\s?-?(hours?|hrs?|h|hourly|minutes?|mins?|min)\\.?${R}|${L}${NR}\\s?-?\\s?(?:hrly|hourly|hrl)${R}`);
export const EVERY_HOUR = g(`${L}(?:every hour|hourly|q\\.?\\s?1\\s?h)${R}`);
export const PER_PERIOD = g(`${L}${NR}\\s?(?:x|times?)\\s?(?:a|per|each|every|/|in a|in)?\\s?(day|daily|d|week|weekly|wk|month|monthly|year)${R}`);
export const ONCE_TWICE = g(`${L}(once|twice|thrice)\\s?(?:a|per|each|/|every)?\\s?(day|daily|week|weekly|wk|month|monthly|year|yearly)${R}`);
export const EVERY_N = g(`${L}(?:every|each|q\\.?)\\s?${NR}\\s?(days?|d|weeks?|wks?|wk|w|months?|mos?|mo)${R}`);
export const UP_TO_TIMES = g(`${L}up to ${NR}\\s?(?:x|times)\\s?(?:a|per|each|every|/)?\\s?(day|daily|week|weekly)${R}`);
const LATIN_DAILY = '(o\\.?d|q\\.?d|b\\.?i\\.?d|b\\.?d|t\\.?i\\.?d|t\\.?d\\.?s|q\\.?i\\.?d|q\\.?d\\.?s)\\.?';
/** "up to qid", "up to tds": a daily count that is a maximum (frequency 1, frequencyMax n). */
export const UP_TO_LATIN = g(`${L}up to ${LATIN_DAILY}${R}`);
/** "bid-tid", "bd or tds", "od/bd": a range of daily counts (frequency, frequencyMax). */
export const LATIN_RANGE = g(`${L}${LATIN_DAILY}\\s?(?:-|to|or|/)\\s?${LATIN_DAILY}${R}`);
/** Daily count of a Latin abbreviation matched by LATIN_DAILY. */
export function latinCount(raw: string): number | null {
  const s = raw.replace(/[.\s]/g, '');
  return ({ od: 1, qd: 1, bid: 2, bd: 2, tid: 3, tds: 3, qid: 4, qds: 4 } as Record<string, number>)[s] ?? null;
}
/** "2 x 5 ml": a multiple of a measure (10 mL). */
export const DOSE_MULTIPLE = g(`${L}(\\d|one|two|three|four)\\s?x\\s?(${N})\\s?(${DOSE_UNIT_SRC})`);

/** Latin / written frequencies with no numbers. Each entry: pattern source and its repeat. */
export const FIXED_FREQUENCIES: Array<[RegExp, { frequency?: number; period?: number; periodUnit?: 'd' | 'wk' | 'mo'; count?: number }]> = [
  [g(`${L}(?:q\\.?\\s?i\\.?\\s?d|q\\.?\\s?d\\.?\\s?s|qds)\\.?${R}`), { frequency: 4, period: 1, periodUnit: 'd' }],
  [g(`${L}(?:t\\.?\\s?i\\.?\\s?d|t\\.?\\s?d\\.?\\s?s|tds)\\.?${R}`), { frequency: 3, period: 1, periodUnit: 'd' }],
  [g(`${L}(?:b\\.?\\s?i\\.?\\s?d|b\\.\\s?d|bd|bds)\\.?${R}`), { frequency: 2, period: 1, periodUnit: 'd' }],
  [g(`${L}(?:q\\.?\\s?o\\.?\\s?d\\.?|every other day|every second day|on alternate days|alternate days?|alt days|every 48 ?(?:hours|hrs|h)|q48h|qad)${R}`), { frequency: 1, period: 2, periodUnit: 'd' }],
  [g(`${L}(?:every other week|alternate weeks|fortnightly|every fortnight)${R}`), { frequency: 1, period: 2, periodUnit: 'wk' }],
  [g(`${L}(?:weekly|once weekly|every week|each week|per week|a week|/ ?week|/ ?wk|q\\.?\\s?wk|q\\.?\\s?week|qw|q7d|1\\s?x\\s?(?:week|wk|weekly))${R}`), { frequency: 1, period: 1, periodUnit: 'wk' }],
  [g(`${L}(?:monthly|every month|each month|per month|a month|q\\.?\\s?month|q\\.?\\s?mo)${R}`), { frequency: 1, period: 1, periodUnit: 'mo' }],
  [g(`${L}(?:q\\.?\\s?d(?:ay|aily)?|o\\.?d|daily|once a day|once daily|every day|each day|per day|a day|/ ?day|/ ?d|1\\s?x\\s?(?:day|daily|d)|q\\.?\\s?24\\s?(?:h|hr|hrs|hours)|every 24 ?(?:hours|hrs|h)|od|o\\.d\\.|dly|qday|qdaily)\\.?${R}`), { frequency: 1, period: 1, periodUnit: 'd' }],
  [g(`${L}(?:stat|once only|one time only|one time|single dose|as a single dose|once|now|x\\s?1(?! ?[a-z0-9]))${R}`), { count: 1 }],
];

/**
 * Whether any pattern of a list matches anywhere in a text: one regex run instead of one per
 * pattern. A phase with no match skips the list's scanners (they would claim nothing); with a
 * match every pattern still runs in order, so claims are unchanged. The patterns hold no named
 * groups or back-references, so their alternation is well-formed.
 */
const anyOf = (list: Array<[RegExp, ...unknown[]]>): RegExp => new RegExp(list.map(([re]) => `(?:${re.source})`).join('|'));

/** Matches where some FIXED_FREQUENCIES pattern matches. */
export const ANY_FIXED_FREQUENCY = anyOf(FIXED_FREQUENCIES);

/** Named times of day and meal relations → FHIR EventTiming codes. */
export const WHEN_PATTERNS: Array<[RegExp, string[], boolean]> = [
  // [pattern, when codes, implies "three times a day" when alone]
  [g(`${L}(?:before|with|after|a\\.?c\\.?|p\\.?c\\.?) (?:breakfast|lunch|dinner|supper|tea|the evening meal|evening meal)(?:(?:,| and| &| or|, and)+ (?:breakfast|lunch|dinner|supper|tea|the evening meal|evening meal))*${R}`), [], false],
  [g(`${L}(?:before (?:meals|food|eating|each meal|every meal|a meal)|a\\.c\\.?|ac|1/2 hr before meals)${R}`), ['AC'], true],
  // Indian prescriptions: "(AF)" / "(BF)", "A/F" after / before food.
  [g(`(?:\\(\\s?a\\.?\\s?f\\.?\\s?\\)|${L}a/f${R})`), ['PC'], false],
  [g(`(?:\\(\\s?b\\.?\\s?f\\.?\\s?\\)|${L}b/f${R})`), ['AC'], false],
  [g(`${L}(?:after (?:meals|food|eating|each meal|every meal|a meal)|p\\.c\\.?|pc)${R}`), ['PC'], true],
  [g(`${L}(?:with (?:meals|each meal|every meal|food|a meal|meal|feeds)|at mealtimes?|with main meals?)${R}`), ['C'], true],
  [g(`${L}(?:q\\.?\\s?h\\.?\\s?s|at bed ?time|before bed(?:time)?|at hs|h\\.?s|bed ?time|at bedtime|before sleep|before going to bed|qhs)\\.?${R}`), ['HS'], false],
  [g(`${L}(?:at night|every night|each night|nightly|nocte|at nighttime|in the night|qn|q\\.n\\.|night(?:s)?|o\\.n\\.)${R}`), ['NIGHT'], false],
  [g(`${L}(?:every morning|each morning|in the mornings?|mornings?|q\\.?\\s?a\\.?\\s?m\\.?|mane|o\\.m\\.|om|am|a\\.m\\.|on waking|on rising|upon waking)${R}`), ['MORN'], false],
  [g(`${L}(?:every evening|each evening|in the evenings?|evenings?|q\\.?\\s?p\\.?\\s?m\\.?|pm|p\\.m\\.|qpm|teatime|tea time)${R}`), ['EVE'], false],
  [g(`${L}(?:at noon|midday|at lunchtime|lunchtime|noon|mid-day)${R}`), ['NOON'], false],
];
/** Matches where some WHEN_PATTERNS pattern matches. */
export const ANY_WHEN_PATTERN = anyOf(WHEN_PATTERNS);
export const MEAL_OFFSET = g(`${L}(${N})\\s?(minutes?|mins?|min|hours?|hrs?|h)\\s?(before|after|prior to) (meals|food|eating|each meal|breakfast|lunch|dinner|supper|bedtime|bed)${R}`);

const DAY_SRC = '(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|mon|tues?|wed|thur?s?|fri|sat|sun)';
export const DAYS_OF_WEEK = g(`${L}(?:(on|every|each) )?(${DAY_SRC}(?:\\s?(?:,|and|&|/|\\+|or)\\s?(?:and )?${DAY_SRC})*)${R}|${L}(mwf|m/w/f|tu/th|tth)${R}`);
export const DAY_WORD = new RegExp(DAY_SRC.replace('(?:', '(?<![a-z])(?:') + '(?![a-z])', 'g');

export const DOSE_WITH_UNIT = g(`${L}(?:(half|one half)\\s(?:a|an|of a|of an)\\s(${DOSE_UNIT_SRC})|${NR}\\s?(?:x\\s?)?(${DOSE_UNIT_SRC})|(${DOSE_UNIT_SRC})\\.?\\s(i{1,3}|\\d+(?:\\.\\d+)?)(?![a-z0-9/])|(i{1,3})\\s(${DOSE_UNIT_SRC}))`);
export const DOSE_BARE = new RegExp(`(?:^|${L}(?:take|takes|give|use|inhale|chew|insert|apply|instil|instill|inject|dissolve|place|administer|swallow|put|spray|then|to|-|,|:)\\s?|^\\s*)${NR}(?=\\s|$|,|\\.|;)(?!\\s?(?:%|times|x\\s?\\d|hours?|hrs?|days?|weeks?|months?|minutes?|mins?))`, 'gd');

const routeAlternatives = [...ROUTE_PHRASES].sort((a, b) => b[0].length - a[0].length);
export const ROUTE = g(`${L}(${routeAlternatives.map(([p]) => esc(p)).join('|')})(?![a-z0-9])`);
export const ROUTE_BY_PHRASE = new Map(ROUTE_PHRASES);
/** Route phrases too weak to beat a dose unit's implied route ("apply 1 patch" is transdermal). */
export const WEAK_ROUTE_PHRASES = new Set(['apply', 'swallow', 'inhaler', 'eye', 'eyes', 'ear', 'ears', 'nostrils', 'inh']);
export const EYE_CONTEXT = /(?<![a-z])(?:drops?|gtts?|eyes?|ophth\w*|ointment to)(?![a-z])/;
export const EYE_SIDE = g(`${L}(o\\.?d|o\\.?s|o\\.?u)\\.?${R}`);
export const EAR_SIDE = g(`${L}(a\\.?d|a\\.?s|a\\.?u)\\.?${R}`);

export const PHASE_SPLIT = /\s*(?:[,;.]\s*)?(?:(?:and|&)\s+)?(?:then|followed by|thereafter|after that|after which|afterwards|subsequently|reducing to|reduce to|decreasing to|decrease to|increasing to|increase to|tapering to|taper to|stepping down to|step down to)(?![a-z0-9])\s*[,:]?/g;
