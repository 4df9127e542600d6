import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonDepthScanner, exceedsJsonDepth } from './json-depth.js';

function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** Feeds `text` to a fresh scanner in pieces cut at `cuts` (byte offsets). */
function scan(text: string, max: number, cuts: number[]): boolean {
  const bytes = new TextEncoder().encode(text);
  const feed = createJsonDepthScanner(max);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (!feed(bytes.subarray(from, p))) return false;
    from = p;
  }
  return true;
}

describe('JSON depth', () => {
  it('the streaming scanner agrees with the parsed depth, however the bytes are split (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (value, max, cuts) => {
        const text = JSON.stringify(value);
        const ok = depthOf(value) <= max;
        expect(scan(text, max, cuts)).toBe(ok);
        expect(exceedsJsonDepth(value, max)).toBe(!ok);
      }),
      { numRuns: 500 },
    );
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(scan(JSON.stringify({ a: '[[[[{{{{\\"[[[' }), 1, [3, 9, 10])).toBe(true);
    expect(scan(`{"a":"\\\\"}`, 1, [7])).toBe(true);
    expect(scan('[[', 1, [])).toBe(false);
  });

  it('refuses 10,000 levels early and checks deep parsed values without recursion', () => {
    const feed = createJsonDepthScanner(64);
    expect(feed(new TextEncoder().encode('['.repeat(10_000)))).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(exceedsJsonDepth(deep)).toBe(true);
    expect(exceedsJsonDepth({ a: [1, { b: 2 }] }, 3)).toBe(false);
  });
});
