/**
 * The supervisor's record of its children (see core/supervisor-state.ts): updated on every
 * transition, logged, and written to `<data>/run/state.json` (0600, temp file + rename, writes
 * serialised so the file never goes back in time).
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Logger } from '../../core/logger.js';
import type { SupervisedProcess, SupervisorState } from '../../core/supervisor-state.js';

export class ProcessStates {
  private readonly processes: Record<string, SupervisedProcess> = {};
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  /** Merges `patch` into the record of `name` and schedules a write. */
  update(name: string, patch: Partial<SupervisedProcess>): void {
    const now = new Date().toISOString();
    const before = this.processes[name];
    const next: SupervisedProcess = {
      state: 'starting', pid: null, restarts: 0, crash_looping: false, last_exit: null, restart_at: null, since: now,
      ...before,
      ...patch,
    };
    if (before?.state !== next.state) next.since = now;
    this.processes[name] = next;
    if (before?.state !== next.state) this.logger.info({ process: name, state: next.state, child_pid: next.pid, restarts: next.restarts }, 'process state');
    this.schedule();
  }

  snapshot(): SupervisorState {
    return { supervisor_pid: process.pid, updated_at: new Date().toISOString(), processes: structuredClone(this.processes) };
  }

  /** Resolves once every scheduled write has landed. */
  flush(): Promise<void> {
    return this.writing;
  }

  /** Removes the file (the supervisor has stopped): readers then see no supervisor. */
  async remove(): Promise<void> {
    await this.flush();
    await rm(this.file, { force: true });
  }

  private schedule(): void {
    this.writing = this.writing.then(async () => {
      const tmp = `${this.file}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, `${JSON.stringify(this.snapshot())}\n`, { mode: 0o600 });
        await rename(tmp, this.file);
      } catch (error) {
        // The state file is a report, not the supervision itself: a full disk must not stop restarts.
        this.logger.warn({ err: { code: (error as { code?: string }).code } }, 'could not write the supervisor state file');
      }
    });
  }
}
