/**
 * Counts the OCR split-word repairs ("H ypertension", "Metf ormin") the dictionary matchers made
 * during one synchronous extraction, so extractClinical can warn (`OCR_REPAIRED`) without the
 * matchers returning it through every layer. Extraction is synchronous: reset, extract, read.
 */
let repairs = 0;

/** Records one repair. */
export function noteOcrRepair(): void {
  repairs++;
}

/** Returns the repairs since the last call and starts counting again. */
export function takeOcrRepairs(): number {
  const n = repairs;
  repairs = 0;
  return n;
}

/**
 * Whether two word fragments written with one space between them ("metf", "ormin") may be one word
 * split by OCR: both lower-case after a possible capital, neither alone an everyday word or a
 * vocabulary term (checked by `known`), the second not capitalised ("Hyper Tension" stays two words).
 */
export function maySplitWord(text: string, firstStart: number, firstEnd: number, secondStart: number, first: string, second: string,
  known: (w: string) => boolean): boolean {
  if (secondStart !== firstEnd + 1 || text.charCodeAt(firstEnd) !== 32) return false;
  const c = text.charCodeAt(secondStart);
  if (c < 97 || c > 122) return false;
  if (first.length + second.length < 6 || first.length > 12 || second.length < 2) return false;
  // Most word pairs in prose stop here, at one set lookup.
  if (known(first) || known(second)) return false;
  if (!/^[a-z]+$/.test(second) || !/^[a-z]+$/.test(first)) return false;
  // A lone capital ("H ypertension") is a fragment; a lone lower-case letter may be a word ("a", "x").
  return !(first.length === 1 && text.charCodeAt(firstStart) >= 97);
}
