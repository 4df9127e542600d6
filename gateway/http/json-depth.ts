/**
 * JSON nesting depth, bounded before anything recursive sees a document: a streaming byte scanner
 * for request bodies (so a body nested 10,000 deep is refused while it arrives, before JSON.parse,
 * zod or a grammar builder recurse over it) and an iterative check for values that are already
 * parsed (WebSocket frames, NATS payloads).
 */

/** Deepest nesting of arrays/objects accepted anywhere in a request. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Returns a function to feed a JSON text chunk by chunk (any split, even inside a string or an
 * escape); it returns false as soon as the nesting passes `maxDepth`. Works on UTF-8 bytes: no
 * multi-byte sequence contains an ASCII byte, so brackets inside strings are never miscounted.
 * Malformed JSON is left to the parser; only depth is judged here.
 */
export function createJsonDepthScanner(maxDepth: number = MAX_JSON_DEPTH): (chunk: Uint8Array) => boolean {
  let depth = 0;
  let inString = false;
  let escaped = false;
  return (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) {
        inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (++depth > maxDepth) return false;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (depth > 0) depth--;
      }
    }
    return true;
  };
}

/**
 * True when a parsed value nests arrays/objects deeper than `maxDepth` (a top-level object is
 * depth 1). Iterative, so an adversarial value cannot overflow the stack here, and it stops at the
 * first branch past the limit.
 */
export function exceedsJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
    }
  }
  return false;
}
