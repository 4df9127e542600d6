/**
 * `wardclerk <command>`: run one role against NATS_URL, the all-in-one supervisor, or the offline
 * clinical tools. Exit codes: 0 ok, 1 failure (message on stderr), 2 usage.
 */
import { loadConfig } from '../core/config.js';
import { isWardClerkError } from '../core/errors.js';
import type { RoleHandle } from '../core/role.js';

const USAGE = `usage: wardclerk <command>

  start                 run nats-server, gateway, engine and worker (what \`npm start\` runs)
  gateway|engine|worker run one role against an existing NATS_URL
  extract [--file F] [--jsonl]   print the extraction JSON of a note (stdin by default)
  sig "<instruction>" [--jsonl]  print the FHIR Dosage JSON of a dose instruction
`;

const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/** Runs a role until SIGTERM/SIGINT (or the supervisor's IPC channel closes), then exits the process. */
async function runRole(start: () => Promise<RoleHandle>): Promise<number> {
  const handle = await start();
  const code = await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      const force = setTimeout(() => resolve(1), 10_000);
      force.unref();
      handle.close().then(
        () => resolve(signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1),
        () => resolve(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    // A supervisor that dies must not leave this role running.
    process.once('disconnect', () => stop('SIGTERM'));
  });
  // Stray handles (sockets in TIME_WAIT, timers in libraries) must not keep a stopped role alive.
  process.exit(code);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'gateway': {
        const { runGateway } = await import('../gateway/main.js');
        return await runRole(() => runGateway(loadConfig()));
      }
      case 'engine': {
        const { runEngine } = await import('../engine/main.js');
        return await runRole(() => runEngine(loadConfig()));
      }
      case 'worker': {
        const { runWorker } = await import('../worker/main.js');
        return await runRole(() => runWorker(loadConfig()));
      }
      case 'start': {
        const { runSupervisor } = await import('./supervisor/supervisor.js');
        return await runSupervisor(loadConfig());
      }
      case 'extract': {
        const { runExtract } = await import('../engine/clinical/extract-cli.js');
        return await runExtract(args, io);
      }
      case 'sig': {
        const { runSig } = await import('../engine/clinical/sig-cli.js');
        return await runSig(args, io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`wardclerk: unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (isWardClerkError(e)) {
      process.stderr.write(`wardclerk: ${e.code}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
