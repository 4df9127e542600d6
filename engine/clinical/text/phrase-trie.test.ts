import { describe, expect, it } from 'vitest';
import { PhraseTrie } from './phrase-trie.js';
import { tokenize } from './tokenize.js';

function matches(trie: PhraseTrie<string>, text: string): string[] {
  return trie.matchAll(text, tokenize(text)).map((m) => `${m.value}@${m.start}-${m.end}`);
}

describe('PhraseTrie', () => {
  it('takes the longest match at each position, left to right', () => {
    const trie = new PhraseTrie<string>();
    trie.add('heart failure', 'HF');
    trie.add('congestive heart failure', 'CHF');
    trie.add('heart', 'H');
    expect(matches(trie, 'Congestive heart failure; heart ok')).toEqual(['CHF@0-24', 'H@26-31']);
  });

  it('finds a phrase added after earlier lookups (the root cache is dropped on add)', () => {
    const trie = new PhraseTrie<string>();
    trie.add('asthma', 'A');
    expect(matches(trie, 'gout and asthma')).toEqual(['A@9-15']);
    expect(trie.single('gout')).toBeNull();
    expect(trie.startsWith('gout')).toBe(false);
    trie.add('gout', 'G');
    expect(trie.single('gout')).toBe('G');
    expect(trie.startsWith('gout')).toBe(true);
    expect(matches(trie, 'gout and asthma')).toEqual(['G@0-4', 'A@9-15']);
  });

  it('answers the same after the root cache has been emptied many times over', () => {
    const trie = new PhraseTrie<string>();
    trie.add('migraine', 'M');
    for (let i = 0; i < 20_000; i++) trie.single(`w${i}`);
    expect(matches(trie, 'migraines and migraine')).toEqual(['M@0-9', 'M@14-22']);
  });
});
