/**
 * The text around a drug mention: how far its dose instruction runs (to the end of the line, into a
 * wrapped continuation line, up to the next drug), what its list header says (allergies, stopped,
 * new), and status words next to it.
 */
import type { MedicationStatus } from '../../../core/clinical/extraction.js';

const SIG_START = /^(?:take|takes|give|use|apply|inhale|instil|instill|insert|inject|chew|dissolve|place|spray|then|followed|for|x\s?\d|\d|one|two|half|po|p\.o|orally|oral|by|per|sl|iv|im|sc|subcut|topically|rectally|vaginally|inhaled|meals|food|breakfast|lunch|dinner|supper|bedtime|night|morning|evening|prn|as|q\d|q\.|qd|bid|tid|qid|qhs|od|bd|tds|qds|nocte|mane|daily|twice|once|every|at|in|with|before|after|until|max|not|sig|dose|directions?)(?![a-z])/i;
const LIST_MARKER = /^\s*(?:[-*•·▪]|\d{1,2}[.)]|\(?[a-z]\))\s/i;

/**
 * End of the instruction window that starts at `from`: the end of the line, extended over wrapped
 * lines that continue the instruction, and cut at a sentence that starts with a capitalised
 * non-instruction word, and at `limit` (the next drug mention).
 */
export function windowEnd(text: string, from: number, limit: number): number {
  let end = from;
  for (let lines = 0; lines < 4; lines++) {
    let nl = text.indexOf('\n', end);
    if (nl === -1 || nl > limit) nl = limit;
    end = nl;
    if (end >= limit) break;
    const next = text.slice(end + 1, Math.min(limit, end + 121));
    const trimmed = next.replace(/^[ \t]+/, '');
    const label = /^(?:sig|directions?|instructions?|dose|dosing|take)\s*:/i.test(trimmed);
    if (!label && (trimmed === '' || next.startsWith('\n') || LIST_MARKER.test(next) || /^[A-Z][A-Za-z ]{1,30}:/.test(trimmed))) break;
    // A wrapped instruction goes on in lower case ("1 tablet\norally once a day") or with a sig word.
    if (!label && !SIG_START.test(trimmed) && !/^[a-z]/.test(trimmed)) break;
    // The next drug is on that line: the line is its instruction, not a continuation of this one.
    const nextNl = text.indexOf('\n', end + 1);
    if (nextNl === -1 ? limit < text.length : limit < nextNl) break;
    end += 1;
  }
  end = clauseEnd(text, from, end);
  const slice = text.slice(from, end);
  const sentence = /[.!?]\s+(?=[A-Z][a-z]+)/g;
  let m: RegExpExecArray | null;
  while ((m = sentence.exec(slice)) !== null) {
    const after = slice.slice(m.index + m[0].length);
    if (SIG_START.test(after)) continue;
    // "p.o. B.I.D." style abbreviations end in a dot without ending the sentence.
    if (/(?:^|[^a-z])[a-z]\.$/i.test(slice.slice(Math.max(0, m.index - 2), m.index + 1))) continue;
    return from + m.index + 1;
  }
  return end;
}

/**
 * A conjunction that opens a new clause with its own subject ("q.h.s. and his INR will be checked
 * on Monday", "daily but she stopped it") ends the instruction; "and at night", "and 2 tabs" do not.
 */
const CLAUSE_BREAK = /(?:,\s*|\s+)(?:and|but|as|so|while|because|although)\s+(?=(?:his|her|their|its|he|she|they|we|i|you|the patient|patient|pt|this|that|which|who|will|was|were|is|are|has|have|had|labs?|inr|bloods?|recheck|monitor)(?![a-z]))/gi;

/**
 * Another activity with its own schedule ("sitz bath once or twice a day", "warm soaks", "ice",
 * "follow up in 2 weeks") ends the drug's instruction, joined by "and", a comma or a semicolon.
 */
const OTHER_ACTIVITY = /(?:[,;.]\s*|\s+)(?:(?:and|&|plus|also)\s+)?(?=(?:sitz baths?|warm (?:soaks?|compress(?:es)?|baths?)|soaks?|ice(?: packs?)?|heat|elevat\w*|follow[- ]?up|f\/u|return|call|schedule|recheck|check|monitor\w*|diet|exercise|walk\w*|rest|physical therapy|wound care|dressing changes?|keep|avoid|salt water|saline (?:rinses?|gargles?)|gargles?|shower|bathe)(?![a-z]))/gi;

function clauseEnd(text: string, from: number, end: number): number {
  if (end - from < 8) return end;
  const slice = text.slice(from, end);
  CLAUSE_BREAK.lastIndex = 0;
  const m = CLAUSE_BREAK.exec(slice);
  let cut = m ? m.index : slice.length;
  OTHER_ACTIVITY.lastIndex = 0;
  const a = OTHER_ACTIVITY.exec(slice);
  if (a && a.index > 0 && a.index < cut) cut = a.index;
  // A semicolon starts a new clause unless what follows is more of the instruction ("; then 1 daily").
  const semi = slice.indexOf(';');
  if (semi > 0 && semi < cut && !SIG_START.test(slice.slice(semi + 1).trimStart())) cut = semi;
  return from + cut;
}

/** Start of the line that holds `pos`. */
export function lineStart(text: string, pos: number): number {
  // Bounded look-back: a note written as one 500 KB line would otherwise make every mention scan
  // back to the start (quadratic; tens of seconds of engine time). Context further back than
  // LINE_WINDOW characters on the same line is not a drug's context anyway.
  const floor = Math.max(0, pos - LINE_WINDOW);
  for (let i = pos - 1; i >= floor; i--) if (text.charCodeAt(i) === 10) return i + 1;
  return floor;
}

const LINE_WINDOW = 2000;
/** How far above a mention a list header is looked for, and the longest line that can be one. */
const HEADER_WINDOW = 8000;
const HEADER_LINE_MAX = 200;

/**
 * The nearest list header above `pos` ("Allergies:", "DISCONTINUED MEDICATIONS", "New meds:"),
 * looked for within 40 lines, or on the mention's own line before a colon; lower-cased.
 */
export function headerAbove(text: string, pos: number): string {
  const ls = lineStart(text, pos);
  const own = text.slice(ls, pos);
  const colon = own.lastIndexOf(':');
  if (colon !== -1 && /^[\sA-Za-z/&*#_-]{3,50}$/.test(own.slice(0, colon))) return own.slice(0, colon).replace(/[*#_]/g, '').trim().toLowerCase();
  let end = ls - 1;
  for (let i = 0; i < 40 && end > 0 && pos - end < HEADER_WINDOW; i++) {
    const start = lineStart(text, end);
    if (end - start > HEADER_LINE_MAX) { end = start - 1; continue; } // prose, never a header
    const line = stripMarkdown(text.slice(start, end).trim());
    if (line === null) { end = start - 1; continue; }
    // Only a header standing alone governs the lines below it; "Allergies: penicillin" covers its own line.
    if (MARKDOWN_HEADING.test(text.slice(start, end).trim())) return line.replace(/:$/, '').toLowerCase();
    if (/^[A-Za-z][A-Za-z /&()-]{2,60}:$/.test(line)) return line.slice(0, -1).toLowerCase();
    if (/^[A-Z][A-Z /&()-]{3,60}$/.test(line)) return line.toLowerCase();
    end = start - 1;
  }
  return '';
}

const MARKDOWN_HEADING = /^(?:#{1,6}\s+\S|\*\*[^*]{2,60}\*\*:?$|__[^_]{2,60}__:?$)/;

/** A Markdown heading line ("## Plan", "**Discharge medications:**") as its plain title; other lines unchanged. */
function stripMarkdown(line: string): string | null {
  if (line.startsWith('#')) return line.replace(/^#{1,6}\s*/, '').replace(/\s*#*$/, '').trim() || null;
  const bold = /^(?:\*\*|__)(.+?)(?:\*\*|__)(:?)$/.exec(line);
  return bold ? `${bold[1]!.trim()}${bold[2]}` : line;
}

export type MedStatus = MedicationStatus;

const STATUS_WORDS: Array<[RegExp, MedStatus]> = [
  // "hold warfarin", "held for surgery", "on hold": paused, to be resumed — not stopped.
  [/(?<![a-z])(?:held|hold(?:ing)?|on hold|withh[eo]ld(?:ing)?|pause[ds]?|suspend(?:ed)?)(?![a-z])/i, 'held'],
  // Drugs tried before and not taken now: "tried Claritin and Zyrtec", "failed metformin", "previously on".
  [/(?<![a-z])(?:tried|trial(?:led|ed)? of|failed|previously (?:on|took|taking|tried|used|prescribed)|was previously on|had (?:been on|tried|taken)|used to (?:take|be on)|prior (?:trials?|use) of|in the past|past (?:medications?|meds|drugs|trials?)|previous (?:medications?|meds|drugs|trials?)|prior (?:medications?|meds)|did not (?:tolerate|respond to|help|work)|didn't (?:help|work)|ineffective|not effective|without (?:relief|benefit|effect)|intolerant of|no (?:relief|benefit|response) (?:from|with)|medications? tried)(?![a-z])/i, 'past'],
  [/(?<![a-z])(?:no longer (?:taking|on|using)|stop(?:ped|ping)?|stop taking|discontinu(?:e|ed|ing)|d\/c(?:'?d)?|dc'?d|ceased?|cease|off)(?![a-z])/i, 'stopped'],
  [/(?<![a-z])(?:increas(?:e|ed|ing)|decreas(?:e|ed|ing)|reduc(?:e|ed|ing)|chang(?:e|ed|ing)|titrat(?:e|ed|ing)|switch(?:ed)?|adjust(?:ed)?|up-?titrat(?:e|ed)|modified|dose changed)(?![a-z])/i, 'changed'],
  [/(?<![a-z])(?:start(?:ed|ing)?|begin|began|initiat(?:e|ed)|commenc(?:e|ed)|new(?:ly)?|add(?:ed)?|prescribed|rx)(?![a-z])/i, 'new'],
  [/(?<![a-z])(?:continu(?:e|ed|ing)|cont\.?|resum(?:e|ed)|remain(?:s)? on|still (?:taking|on)|unchanged|same|home med(?:ication)?s?|current(?:ly)? (?:on|taking)?)(?![a-z])/i, 'continued'],
];

/** A status named in `s` (the words before a mention, or its list header), or null. */
export function statusIn(s: string): MedStatus | null {
  for (const [re, status] of STATUS_WORDS) if (re.test(s)) return status;
  return null;
}

/** True when the mention sits in an allergy list or after "allergic to". */
export function isAllergyContext(header: string, before: string): boolean {
  return /allerg|intoleran|adverse (?:drug )?reaction|\bnkda\b/.test(header)
    || /(?:allerg(?:ic|y|ies)|intoleran(?:t|ce)|reaction)\s+(?:to|with)?\s*[:\-]?\s*(?:[A-Za-z-]+\s*,?\s*(?:and|or)?\s*){0,4}$/i.test(before);
}

/** True when the words before a mention negate it ("no", "denies", "not on"). */
export function isNegated(before: string): boolean {
  return /(?<![a-z])(?:no|not on|not taking|denies(?: taking| using)?|never (?:took|taken|on)|without)\s+$/i.test(before);
}
