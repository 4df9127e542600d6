/**
 * `npm run fuzz`: starts the real appliance on loopback (nats-server, gateway, engine, worker as
 * processes), fires hostile requests at every route and at /api/v1/ws, and prints the report as
 * JSON. Exit code 1 when any 5xx other than a documented overload answer, any unanswered socket,
 * any role restart, or RSS growth of 50 MB or more was seen.
 *
 *   npm run fuzz -- --count 20000 --seconds 600 --seed 1234 --concurrency 8
 *   npm run fuzz -- --seed 1234 --only 17,934      (replay single requests of a run)
 * Flags may also come from FUZZ_COUNT, FUZZ_SECONDS, FUZZ_SEED, FUZZ_CONCURRENCY.
 */
import { startProcessAppliance } from '../../test/appliance-processes.js';
import { discoverRoutes, prepareContext } from './fuzz-setup.js';
import { collectorFor, INSPECT_ENV } from './inspector-gc.js';
import { runFuzz } from './run-fuzz.js';

function flag(name: string, env: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[env];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} (or ${env}) must be a non-negative number, got ${raw}\n`);
    process.exit(2);
  }
  return n;
}

const count = flag('count', 'FUZZ_COUNT', 20_000);
const seconds = flag('seconds', 'FUZZ_SECONDS', 600);
const seed = flag('seed', 'FUZZ_SEED', Math.floor(Math.random() * 2 ** 31));
const concurrency = flag('concurrency', 'FUZZ_CONCURRENCY', 8);
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',').map(Number) : undefined;

process.stderr.write(`fuzz: seed ${seed}, up to ${count} requests / ${seconds} s, concurrency ${concurrency}; starting the appliance…\n`);
const app = await startProcessAppliance(INSPECT_ENV);
let code = 1;
try {
  const ctx = await prepareContext(app.url, app.adminPassword);
  const routes = await discoverRoutes(app.url);
  const report = await runFuzz({
    base: app.url, ctx, routes, count, seconds, seed, concurrency, only,
    pids: app.pids(), currentPids: () => app.pids(), collect: collectorFor(() => app.roles.gateway.logs()),
    logs: () => Object.values(app.roles).map((r) => r.logs()).join('\n'),
    onProgress: (n) => process.stderr.write(`fuzz: ${n} requests\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  if (!report.ok) process.stderr.write(`fuzz: FAILED (seed ${seed}; replay with --seed ${seed} --only <index>)\n`);
  code = report.ok ? 0 : 1;
} finally {
  await app.close();
}
process.exit(code);
