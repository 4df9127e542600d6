#!/usr/bin/env node
// The `wardclerk` command. TypeScript sources run through tsx's loader: no build step needed.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

register();
const here = dirname(fileURLToPath(import.meta.url));
const { main } = await import(join(here, '..', 'scripts', 'cli.ts'));
process.exitCode = await main(process.argv.slice(2));
