/** Types for ensure-data-dir.js. */
export declare function dataDirFromEnv(env?: NodeJS.ProcessEnv): string;
export declare function ensureDataDir(dir: string): string;
