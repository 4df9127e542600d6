import { describe, expect, it } from 'vitest';
import { answerRanges, firstHitRank, hitsAnswer, summarizeRanks } from './score-retrieval.js';

const pages = new Map([['d1', ['Plan: start dapagliflozin 10 mg. Review in 6 months.', 'page two']]]);
const pagesOf = (id: string): readonly string[] | undefined => pages.get(id);

describe('retrieval scoring', () => {
  it('locates quotes on their page and drops answers that are not there', () => {
    expect(answerRanges([{ doc_id: 'd1', page: 1, quote: 'start dapagliflozin 10 mg.' }], pagesOf)).toEqual([{ docId: 'd1', page: 1, start: 6, end: 32 }]);
    expect(answerRanges([{ doc_id: 'd1', page: 3, quote: 'x' }, { doc_id: 'd9', page: 1, quote: 'x' }, { doc_id: 'd1', page: 2, quote: 'absent' }], pagesOf)).toEqual([]);
  });

  it('a hit needs the same document and page and an overlapping range (touching is not overlapping)', () => {
    const a = [{ docId: 'd1', page: 1, start: 6, end: 32 }];
    expect(hitsAnswer({ docId: 'd1', page: 1, start: 0, end: 7 }, a)).toBe(true);
    expect(hitsAnswer({ docId: 'd1', page: 1, start: 31, end: 40 }, a)).toBe(true);
    expect(hitsAnswer({ docId: 'd1', page: 1, start: 0, end: 6 }, a)).toBe(false);
    expect(hitsAnswer({ docId: 'd1', page: 1, start: 32, end: 50 }, a)).toBe(false);
    expect(hitsAnswer({ docId: 'd1', page: 2, start: 0, end: 50 }, a)).toBe(false);
    expect(hitsAnswer({ docId: 'd2', page: 1, start: 0, end: 50 }, a)).toBe(false);
  });

  it('ranks by the first hit, and summarises recall@5, recall@10 and MRR@10', () => {
    const a = [{ docId: 'd1', page: 1, start: 6, end: 32 }];
    const miss = { docId: 'd1', page: 2, start: 0, end: 8 };
    const hit = { docId: 'd1', page: 1, start: 0, end: 10 };
    expect(firstHitRank([miss, miss, hit, hit], a)).toBe(3);
    expect(firstHitRank([miss], a)).toBeNull();
    expect(summarizeRanks([1, 2, 6, null])).toEqual({ questions: 4, recall_at_5: 0.5, recall_at_10: 0.75, mrr_at_10: 0.4167 });
    expect(summarizeRanks([11])).toEqual({ questions: 1, recall_at_5: 0, recall_at_10: 0, mrr_at_10: 0 });
    expect(summarizeRanks([])).toEqual({ questions: 0, recall_at_5: 0, recall_at_10: 0, mrr_at_10: 0 });
  });
});
