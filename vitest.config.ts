import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships CJS (main) and ESM (module) builds without an exports map: Node (and so
  // graphql-yoga) loads the CJS one, vite would pick the ESM one for our files, and graphql-js
  // refuses objects from "another realm". One instance, as at run time.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['core/**/*.test.ts', 'gateway/**/*.test.ts', 'engine/**/*.test.ts', 'worker/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
