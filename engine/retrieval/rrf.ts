/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): an item's fused score is the sum over
 * the ranked lists that hold it of 1 / (k + rank), rank 1-based, k = 60 by default. Only ranks
 * count, so BM25 scores and cosines need no common scale.
 */

export interface FusedItem<T> {
  item: T;
  score: number;
  /** 1-based rank in each input list, null where the list does not hold the item. */
  ranks: Array<number | null>;
}

/**
 * Fuses ranked lists (best first; an item appears at most once per list, later repeats are
 * ignored). Result: best first; ties go to the item with the better best rank, then to the one
 * seen first.
 */
export function reciprocalRankFusion<T>(lists: ReadonlyArray<readonly T[]>, k = 60): Array<FusedItem<T>> {
  const byItem = new Map<T, FusedItem<T> & { order: number; best: number }>();
  lists.forEach((list, li) => {
    list.forEach((item, i) => {
      let f = byItem.get(item);
      if (!f) byItem.set(item, (f = { item, score: 0, ranks: lists.map(() => null), order: byItem.size, best: Infinity }));
      if (f.ranks[li] !== null) return;
      f.ranks[li] = i + 1;
      f.score += 1 / (k + i + 1);
      f.best = Math.min(f.best, i + 1);
    });
  });
  return [...byItem.values()]
    .sort((a, b) => b.score - a.score || a.best - b.best || a.order - b.order)
    .map(({ item, score, ranks }) => ({ item, score, ranks }));
}
