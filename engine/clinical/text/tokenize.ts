/**
 * One-pass tokeniser shared by every rules matcher. Words are runs of ASCII letters/digits (plus
 * an inner apostrophe, as in "Crohn's"); every other visible character is its own punctuation
 * token, except hyphens, which are dropped so "type-2" and "type 2" tokenise alike. Offsets are
 * UTF-16 indices into the original string, so `text.slice(t.start, t.end)` is the token.
 */
export interface Token {
  start: number;
  end: number;
  /** Lower-cased token text. */
  norm: string;
  /** 1 letter/word, 2 number (digits only), 3 punctuation. */
  kind: 1 | 2 | 3;
  /** True when the token has letters and no lower-case letter ("HTN", "T2DM"). */
  upper: boolean;
  /** Index of the line the token sits on (0-based). */
  line: number;
}

export const WORD = 1;
export const NUM = 2;
export const PUNCT = 3;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 160 || c === 0x2028 || c === 0x2029;
}

/** Interned one-character ASCII punctuation strings (ASCII punctuation has no case). */
const ASCII_PUNCT: string[] = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

function punctNorm(text: string, i: number, width: number, c: number): string {
  return width === 1 && c < 128 ? ASCII_PUNCT[c]! : text.slice(i, i + width).toLowerCase();
}

/** Splits `text` into tokens in one pass; never throws. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let line = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) { line++; i++; continue; }
    if (isSpace(c) || c === 45 /* - */ || c === 0x2010 || c === 0x2011) { i++; continue; }
    if (isAlnum(c)) {
      const start = i;
      let hasLower = false;
      let hasLetter = false;
      let hasUpper = false;
      let hasCurly = false;
      let hasDigitOnly = true;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isAlnum(d)) {
          if (d >= 97) { hasLower = true; hasLetter = true; hasDigitOnly = false; }
          else if (d >= 65) { hasLetter = true; hasUpper = true; hasDigitOnly = false; }
          i++;
        } else if ((d === 39 || d === 0x2019) && i + 1 < n && isAlnum(text.charCodeAt(i + 1)) && i > start && !hasDigitOnly) {
          if (d === 0x2019) hasCurly = true;
          i++;
        } else break;
      }
      // Lower-case and quote-fold only when needed: most tokens are already normal, and this
      // allocation per token was the tokeniser's main cost.
      let norm = text.slice(start, i);
      if (hasUpper) norm = norm.toLowerCase();
      if (hasCurly) norm = norm.replace(/\u2019/g, "'");
      out.push({ start, end: i, norm, kind: hasDigitOnly ? NUM : WORD, upper: hasLetter && !hasLower, line });
      continue;
    }
    // Surrogate pairs stay one token so spans never split a code point.
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    out.push({ start: i, end: i + width, norm: punctNorm(text, i, width, c), kind: PUNCT, upper: false, line });
    i += width;
  }
  return out;
}

/** Tokenises a vocabulary phrase into the lower-cased token strings used as trie keys. */
export function phraseKeys(phrase: string): string[] {
  return tokenize(phrase).map((t) => t.norm);
}
