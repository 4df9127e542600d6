/**
 * Length-preserving repair of common misspellings in dose instructions ("tabelt", "dialy",
 * "twise"). A misspelling is replaced by a correct word of the same length, or by the correct
 * word padded with leading spaces when it is longer ("dailly" → " daily"), so every offset into
 * the repaired text is still an offset into the original. Misspellings shorter than the word they
 * mean are mapped to an equal-length synonym ("evry" → "each") or left alone.
 */

const TYPOS: Record<string, string> = {
  tabelt: 'tablet', tablte: 'tablet', tabet: '  tab', tabelts: 'tablets', tabltes: 'tablets', tablete: ' tablet',
  tabletts: ' tablets', tablest: 'tablets', talbet: 'tablet', talbets: 'tablets', tbalet: 'tablet',
  capsuel: 'capsule', capsle: '  caps', capusle: 'capsule', capsuels: 'capsules', capsul: '  caps', capsulse: 'capsules',
  dialy: 'daily', daliy: 'daily', dailly: ' daily', dayly: 'daily', dailey: ' daily', daiy: ' day', dily: ' dly',
  twise: 'twice', twcie: 'twice', tiwce: 'twice', twicw: 'twice', twince: ' twice', twiec: 'twice', twic: '  bd',
  thrise: 'thrice', thirce: 'thrice', onse: 'once', ocne: 'once', onece: ' once',
  morining: ' morning', mroning: 'morning', morninng: ' morning',
  nigth: 'night', nihgt: 'night', nite: '  hs', niht: '  hs', bedtiem: 'bedtime', betime: '    hs',
  evry: 'each', everey: ' every', evrey: 'every', eveyr: 'every', evey: 'each',
  hourse: ' hours', hrous: 'hours', huors: 'hours', dasy: 'days', dyas: 'days', weesk: 'weeks', wekes: 'weeks', weks: ' wks',
  tiems: 'times', timse: 'times',
  neded: ' prn ', neeeded: ' needed', requried: 'required', requierd: 'required',
  mouht: 'mouth', moutth: ' mouth', mouh: '  po',
};

const TYPO_RE = new RegExp(`(?<![a-z])(?:${Object.keys(TYPOS).sort((a, b) => b.length - a.length).join('|')})(?![a-z])`, 'g');
/** First letters of the misspellings: most sigs hold none, and one indexOf-free test skips the regex. */
const MAYBE = /(?:tab|tal|tba|cap|da|di|tw|thr|thi|on|oc|mo|mr|ni|nit|bed|bet|ev|ho|hr|hu|wee|wek|ti|tm|ne|req|mou)[a-z]/;

/** The text with known misspellings repaired (same length). Input is the lower-cased sig. */
export function repairTypos(lower: string): string {
  if (!MAYBE.test(lower)) return lower;
  TYPO_RE.lastIndex = 0;
  if (!TYPO_RE.test(lower)) return lower;
  TYPO_RE.lastIndex = 0;
  return lower.replace(TYPO_RE, (w) => TYPOS[w]!);
}
