import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientIdLookupKey, normalizeIdentity } from './identity.js';

// Any code point (lone surrogates included); fast-check's own 'binary' unit is slow to sample.
const anyString = fc.array(fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)), { maxLength: 24 }).map((a) => a.join(''));

describe('normalizeIdentity', () => {
  it('makes the spellings of one account equal', () => {
    for (const v of [' admin', 'admin ', 'ADMIN', 'Admin\u200b', '\u00a0admin\t', 'ａｄｍｉｎ', '\ufeffadmin']) expect(normalizeIdentity(v)).toBe('admin');
    expect(normalizeIdentity('STRASSE')).toBe(normalizeIdentity('straße'));
  });

  it('is idempotent (property)', () => {
    fc.assert(fc.property(anyString, (s) => normalizeIdentity(normalizeIdentity(s)) === normalizeIdentity(s)), { numRuns: 2000 });
  });

  it('ignores surrounding whitespace, case and compatibility forms (property)', () => {
    const ws = fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000', '\u2003');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 16 }), fc.array(ws, { maxLength: 3 }), fc.array(ws, { maxLength: 3 }), (s, pre, post) => {
        const n = normalizeIdentity(s);
        expect(normalizeIdentity(pre.join('') + s + post.join(''))).toBe(n);
        expect(normalizeIdentity(s.toUpperCase())).toBe(normalizeIdentity(s.toLowerCase()));
        expect(normalizeIdentity(s.normalize('NFKD'))).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('never leaves surrounding whitespace or upper-case ASCII (property)', () => {
    fc.assert(fc.property(anyString, (s) => {
      const n = normalizeIdentity(s);
      return n === n.trim() && !/[A-Z]/.test(n);
    }), { numRuns: 500 });
  });
});

describe('clientIdLookupKey', () => {
  it('turns a normalised client id back into its stored upper-case form', () => {
    const id = 'cl_01HZX3K9Q2W4E5R6T7Y8U9I0PA'.replace(/[IOU]/g, 'A');
    expect(clientIdLookupKey(normalizeIdentity(` ${id.toLowerCase()} `))).toBe(id);
    expect(clientIdLookupKey('someone')).toBe('someone');
  });
});
