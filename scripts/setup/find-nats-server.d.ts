/** Types for find-nats-server.js (plain JS so it runs before node_modules exists). */
export declare function findNatsServer(env?: NodeJS.ProcessEnv): string | null;
