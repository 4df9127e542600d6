/** Types for watch-parents.js. */
export declare function launchingAncestors(): number[];
export declare function watchParents(onGone: () => void, intervalMs?: number): () => void;
