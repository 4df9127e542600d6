// A stand-in for a WardClerk role process, used by the supervisor tests until (and besides) the
// real roles: behaves as STANDIN_MODE_<ROLE> says, records what happens in $STANDIN_LOG.
import { appendFileSync } from 'node:fs';
import { spawn } from 'node:child_process';

const role = process.argv[2];
const mode = process.env[`STANDIN_MODE_${role.toUpperCase()}`] ?? 'ok';
const log = (line) => appendFileSync(process.env.STANDIN_LOG, `${line}\n`);

// A grandchild in the same process group: stopping the role must take it down too.
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'stand-in-grandchild', process.env.STANDIN_LOG], { stdio: 'ignore' });
log(`start ${role} ${process.pid} ${grandchild.pid} ${process.env.NATS_URL ?? ''}`);

process.on('SIGTERM', () => {
  log(`stop ${role} ${process.pid}`);
  grandchild.kill('SIGTERM');
  if (mode !== 'ignore-term') process.exit(0);
});
// Real roles exit when the supervisor disappears (IPC channel closed); so does the stand-in.
process.on('disconnect', () => process.exit(0));

if (mode === 'exit-before-ready') process.exit(2);
if (mode !== 'never-ready') process.send({ type: 'ready', role, ...(role === 'gateway' ? { url: 'http://127.0.0.1:18080' } : {}) });
if (mode === 'crash-after-ready') setTimeout(() => process.exit(3), 50);
setInterval(() => {}, 1000);
