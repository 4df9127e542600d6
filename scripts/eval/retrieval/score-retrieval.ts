/**
 * The retrieval set's hit rule and measures. A retrieved passage hits an answer when it is from
 * the answer's document and page and its character range overlaps the quote's range in that page
 * (the quote's first occurrence). A question is answered at rank r when the passage at rank r is
 * the first to hit any of its answers. recall@k: share of questions answered within rank k.
 * MRR@n: mean of 1/r over questions, 0 when not answered within rank n.
 */

export interface PassageRange {
  docId: string;
  /** 1-based. */
  page: number;
  start: number;
  end: number;
}

interface AnswerQuote {
  doc_id: string;
  page: number;
  quote: string;
}

/** The answers' ranges; an answer whose page or quote is not found is left out (the set's own test catches those). */
export function answerRanges(answers: readonly AnswerQuote[], pagesOf: (docId: string) => readonly string[] | undefined): PassageRange[] {
  const out: PassageRange[] = [];
  for (const a of answers) {
    const page = pagesOf(a.doc_id)?.[a.page - 1];
    const at = page?.indexOf(a.quote) ?? -1;
    if (at >= 0) out.push({ docId: a.doc_id, page: a.page, start: at, end: at + a.quote.length });
  }
  return out;
}

/** True when `p` overlaps any answer range (same document and page, ranges intersect). */
export function hitsAnswer(p: PassageRange, answers: readonly PassageRange[]): boolean {
  return answers.some((a) => a.docId === p.docId && a.page === p.page && p.start < a.end && a.start < p.end);
}

/** 1-based rank of the first passage that hits an answer, or null. */
export function firstHitRank(results: readonly PassageRange[], answers: readonly PassageRange[]): number | null {
  const i = results.findIndex((r) => hitsAnswer(r, answers));
  return i < 0 ? null : i + 1;
}

export interface RankSummary {
  questions: number;
  recall_at_5: number;
  recall_at_10: number;
  mrr_at_10: number;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/** recall@5, recall@10 and MRR@10 of first-hit ranks (null = not found). */
export function summarizeRanks(ranks: ReadonlyArray<number | null>): RankSummary {
  const n = ranks.length;
  const within = (k: number): number => ranks.filter((r) => r !== null && r <= k).length;
  const mrr = ranks.reduce<number>((s, r) => s + (r !== null && r <= 10 ? 1 / r : 0), 0);
  return { questions: n, recall_at_5: n ? round(within(5) / n) : 0, recall_at_10: n ? round(within(10) / n) : 0, mrr_at_10: n ? round(mrr / n) : 0 };
}
