/**
 * A small least-recently-used map for yoga's parse and validation caches. Keys are query texts (up
 * to maxQueryBytes each) and values their parsed documents, so the number of entries bounds the
 * memory a stream of distinct queries can pin; yoga's default would keep 1,024 of them.
 */
export interface BoundedCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  readonly size: number;
}

export function boundedCache<T>(maxEntries: number): BoundedCache<T> {
  const map = new Map<string, T>();
  return {
    get(key) {
      const value = map.get(key);
      if (value !== undefined) {
        // Re-insert: Map keeps insertion order, so the first key is always the least recent.
        map.delete(key);
        map.set(key, value);
      }
      return value;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      while (map.size > maxEntries) map.delete(map.keys().next().value as string);
    },
    get size() {
      return map.size;
    },
  };
}
