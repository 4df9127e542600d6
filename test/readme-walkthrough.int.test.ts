/**
 * The README's "Walk-through: from a doctor's note to a reminder", run as written: its two bash
 * blocks (after `<!-- walkthrough:rest -->` and `<!-- walkthrough:graphql -->`) go to real bash,
 * which calls real curl and jq against the whole appliance as real processes (nats-server,
 * gateway, engine, worker). The reader's setup is reproduced, not bypassed: the appliance makes its
 * own first operator password in `data/initial-admin.txt` (the block reads it from there) and only
 * the `BASE=` line gets this gateway's port. Every step's printed lines are checked.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startProcessAppliance, type ProcessAppliance } from './appliance-processes.js';

const README_BASE_LINE = 'BASE=http://127.0.0.1:8080';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Step { n: number; lines: string[] }
interface Block { name: 'rest' | 'graphql'; preamble: string[]; steps: Step[] }

/** The bash block after `<!-- walkthrough:NAME -->`, cut into its preamble and its `# N.` steps. */
function walkthroughBlock(readme: string, name: Block['name']): Block {
  const marker = `<!-- walkthrough:${name} -->`;
  expect(readme.split(marker)).toHaveLength(2);
  const m = /^\s*```bash\n([\s\S]*?)\n```/.exec(readme.split(marker)[1]!);
  if (!m) throw new Error(`no bash block right after ${marker}`);
  const block: Block = { name, preamble: [], steps: [] };
  for (const line of m[1]!.split('\n')) {
    const step = /^# (\d+)\. /.exec(line);
    if (step) block.steps.push({ n: Number(step[1]), lines: [] });
    (block.steps.at(-1)?.lines ?? block.preamble).push(line);
  }
  return block;
}

interface BashResult { code: number | null; stdout: string; stderr: string }

/** Runs `file` with bash in `cwd` (PATH and HOME only); SIGKILL after `timeoutMs`. */
function runBash(file: string, cwd: string, timeoutMs: number): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [file], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += String(d); });
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const SignupLine = z.object({ role: z.string(), user_id: z.string() });
const ReminderLine = z.object({ title: z.string(), due_at: z.iso.datetime(), state: z.string() });
const CheckedInLine = z.object({ title: z.string(), state: z.string(), checked_in_at: z.iso.datetime() });
const UpcomingLine = z.object({ title: z.string(), due_at: z.iso.datetime() });
const TaskLine = z.object({ description: z.string(), due: z.iso.date(), status: z.string() });

/** Local "HH:mm" of `iso` in `zone`. */
const localClock = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

let app: ProcessAppliance;
let cwd: string;
let blocks: Block[];
let run: BashResult;
let startedAt: number;
let finishedAt: number;
const printed = new Map<string, unknown[]>();

/** What step `n` of block `name` printed, one JSON value a line. */
function out(name: Block['name'], n: number): unknown[] {
  const lines = printed.get(`${name} ${n}`);
  if (!lines) throw new Error(`step ${n} of the ${name} walk-through did not run`);
  return lines;
}

beforeAll(async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  blocks = [walkthroughBlock(readme, 'rest'), walkthroughBlock(readme, 'graphql')];
  // '' = unset: the gateway generates the operator's first password into initial-admin.txt.
  app = await startProcessAppliance({ WARDCLERK_ADMIN_PASSWORD: '' });
  cwd = await mkdtemp(join(tmpdir(), 'wardclerk-readme-'));
  // The reader runs the block in the checkout, beside ./data.
  await symlink(app.dataDir, join(cwd, 'data'));

  const rest = blocks[0]!;
  expect(rest.preamble[0]).toBe(README_BASE_LINE);
  const preamble = (b: Block) => (b === rest ? [`BASE=${app.url}`, ...b.preamble.slice(1)] : b.preamble);
  const script = ['set -euo pipefail', ...blocks.flatMap((b) => [
    ...preamble(b),
    ...b.steps.flatMap((s) => [`echo '@@ ${b.name} ${s.n}'`, ...s.lines]),
  ])].join('\n');
  await writeFile(join(cwd, 'walkthrough.sh'), `${script}\n`);

  startedAt = Date.now();
  run = await runBash('walkthrough.sh', cwd, 60_000);
  finishedAt = Date.now();
  let current: unknown[] | null = null;
  for (const line of run.stdout.split('\n')) {
    const marker = /^@@ (\w+ \d+)$/.exec(line);
    if (marker) printed.set(marker[1]!, (current = []));
    else if (line.trim() !== '') (current ?? []).push(JSON.parse(line) as unknown);
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

describe('the README walk-through, run with bash and curl against the real processes', () => {
  it('runs to the end, quietly on stderr, every numbered step printing its outcome', () => {
    expect(run.stderr).toBe('');
    expect(run.code, `bash ended with ${run.code} (null: killed after 60 s); it printed:\n${run.stdout.slice(-2000)}`).toBe(0);
    for (const b of blocks) {
      expect(b.steps.map((s) => s.n)).toEqual(b.steps.map((_, i) => i + 1));
      for (const s of b.steps) expect(out(b.name, s.n).length, `${b.name} step ${s.n}`).toBeGreaterThan(0);
    }
    expect(blocks.map((b) => b.steps.length)).toEqual([7, 6]);
  });

  it('REST 1–3: an admin by the operator\'s invitation, a doctor by the admin\'s, a patient on open sign-up who chooses the doctor', () => {
    expect(out('rest', 1)).toEqual([{ role: 'tenant_admin', user_id: expect.stringMatching(/^usr_/) }]);
    const [doctor, settings, patient] = out('rest', 2);
    expect(SignupLine.parse(doctor).role).toBe('doctor');
    expect(settings).toEqual({ signup: 'open' });
    expect(SignupLine.parse(patient).role).toBe('patient');
    expect(out('rest', 3)).toEqual([
      { user_id: SignupLine.parse(doctor).user_id, display_name: 'Dr Rao' },
      { patient_id: expect.stringMatching(/^pt_/), name: { family: 'Jones', given: ['Pat'] }, time_zone: 'America/New_York' },
    ]);
  });

  it('REST 4–5: the note is accepted, processed into a plan and a checklist, and the patient sees both', () => {
    expect(out('rest', 4)).toEqual([
      { status: 'accepted', note_id: expect.stringMatching(/^nt_/), job_id: expect.stringMatching(/^job_/) },
      { status: 'processed', care_plan_id: expect.stringMatching(/^cp_/), task_ids: [expect.stringMatching(/^tk_/)] },
    ]);
    const [amoxicillin, temperature, task] = out('rest', 5);
    expect([amoxicillin, temperature]).toEqual([
      { title: 'Amoxicillin 500 mg', kind: 'medication', timing: 'Q8H' },
      { title: 'Check temperature', kind: 'measurement', timing: 'BID' },
    ]);
    const followUp = TaskLine.parse(task);
    expect(followUp).toMatchObject({ description: 'Book a follow-up visit', status: 'requested' });
    // "Follow up in 2 weeks" from today's note.
    expect(Math.abs(Date.parse(followUp.due) - (startedAt + 14 * DAY))).toBeLessThan(DAY + 1);
  });

  it('REST 6–7: the first dose falls due while the walk-through runs; taken, the next is 8 hours on and the temperature check at 09:00 or 21:00 New York time', () => {
    const due = out('rest', 6).map((l) => ReminderLine.parse(l));
    expect(due).toEqual([{ title: 'Amoxicillin 500 mg', due_at: expect.any(String), state: 'due' }]);
    expect(Date.parse(due[0]!.due_at)).toBeGreaterThanOrEqual(startedAt);
    expect(Date.parse(due[0]!.due_at)).toBeLessThanOrEqual(finishedAt);

    const [checked, ...upcoming] = out('rest', 7);
    const taken = CheckedInLine.parse(checked);
    expect(taken).toMatchObject({ title: 'Amoxicillin 500 mg', state: 'taken' });
    const next = upcoming.map((l) => UpcomingLine.parse(l));
    expect(next.map((r) => r.title).sort()).toEqual(['Amoxicillin 500 mg', 'Check temperature']);
    expect(Date.parse(next.find((r) => r.title === 'Amoxicillin 500 mg')!.due_at) - Date.parse(taken.checked_in_at)).toBe(8 * HOUR);
    const check = next.find((r) => r.title === 'Check temperature')!;
    expect(['09:00', '21:00']).toContain(localClock(check.due_at, 'America/New_York'));
    expect(Date.parse(check.due_at) - finishedAt).toBeLessThanOrEqual(13 * HOUR); // 12 h, or 13 across a DST change
  });

  it('GraphQL 1–6: a second patient chooses the doctor, sees the plan from the note, and checks in the first dose', () => {
    expect(SignupLine.parse(out('graphql', 1)[0]).role).toBe('patient');
    expect(out('graphql', 2)).toEqual([{ chooseDoctors: [{ display_name: 'Dr Rao' }] }]);
    expect(out('graphql', 3)).toEqual([{ status: 'processed' }]);
    expect(out('graphql', 4)).toEqual([{
      plan: { status: 'active', activities: [{ title: 'Amoxicillin 500 mg', kind: 'medication' }, { title: 'Check temperature', kind: 'measurement' }] },
      tasks: [{ description: 'Book a follow-up visit', due: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), status: 'requested' }],
    }]);
    const due = out('graphql', 5).map((l) => ReminderLine.parse(l));
    expect(due).toEqual([{ title: 'Amoxicillin 500 mg', due_at: expect.any(String), state: 'due' }]);
    expect(Date.parse(due[0]!.due_at)).toBeGreaterThanOrEqual(startedAt);
    const taken = out('graphql', 6).map((l) => CheckedInLine.parse(l));
    expect(taken).toEqual([{ title: 'Amoxicillin 500 mg', state: 'taken', checked_in_at: expect.any(String) }]);
  });
});
