/**
 * Number words and numerals as written in dose instructions: "1", "1.5", "1/2", "½", "1½",
 * "one", "a", "half", "one and a half", "ii" (Latin-style tablet counts).
 */

const WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, ninety: 90,
  a: 1, an: 1, single: 1, half: 0.5, 'a half': 0.5, 'one half': 0.5, 'one-half': 0.5, quarter: 0.25,
  'one quarter': 0.25, 'a quarter': 0.25, once: 1, twice: 2, thrice: 3,
};

const VULGAR: Record<string, number> = { '½': 0.5, '¼': 0.25, '¾': 0.75, '⅓': 1 / 3, '⅔': 2 / 3, '⅛': 0.125 };

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/**
 * Regex source (no groups) for one number as written in a sig. Longest alternatives first so
 * "one and a half" wins over "one". Used inside larger patterns with the `i` flag off (input is
 * lower-cased ASCII beforehand).
 */
export const NUM_SRC =
  '(?:(?:one|two|three) and a half|a half|one[- ]half|one quarter|a quarter|\\d+\\s?[½¼¾⅓⅔⅛]|[½¼¾⅓⅔⅛]' +
  '|\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+\\.\\d+|\\.\\d+|\\d+/\\d+|\\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve' +
  '|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|ninety|single|half|quarter|an|a)';

/** Range separators between two numbers: "1-2", "1–2", "1 to 2", "1 or 2". */
export const RANGE_SEP_SRC = '(?:\\s?[-–—]\\s?|\\s(?:to|or)\\s)';

/** Parses one number token matched by NUM_SRC (or a Latin count like "ii"); null if not a number. */
export function parseNumber(raw: string): number | null {
  const s = raw.trim().toLowerCase();
  if (s === '') return null;
  if (s in WORDS) return WORDS[s]!;
  const plusHalf = /^(one|two|three) and a half$/.exec(s);
  if (plusHalf) return WORDS[plusHalf[1]!]! + 0.5;
  if (s in ROMAN) return ROMAN[s]!;
  const last = s[s.length - 1]!;
  if (last in VULGAR) {
    const whole = s.slice(0, -1).trim();
    const frac = VULGAR[last]!;
    if (whole === '') return frac;
    return /^\d+$/.test(whole) ? Number(whole) + frac : null;
  }
  const fraction = /^(\d+)\/(\d+)$/.exec(s);
  if (fraction) {
    const d = Number(fraction[2]);
    return d === 0 ? null : Number(fraction[1]) / d;
  }
  // Thousands separators: "60,000 IU", "1,000 units".
  if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s)) return Number(s.replace(/,/g, ''));
  if (/^(\d+(\.\d+)?|\.\d+)$/.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Formats a dose value without float noise: 0.5 → "0.5", 1/3 → "0.33". */
export function formatNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}
