/** Types for ensure-node-modules.js. */
export declare function nodeModulesStale(root: string): boolean;
export declare function ensureNodeModules(root: string, options?: { log?: (line: string) => void }): number;
