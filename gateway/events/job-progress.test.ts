import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { EventPublisher } from './publisher.js';
import { createJobProgress } from './job-progress.js';

/** A publisher that records what it is asked to publish (the interface, not a module mock). */
function recorder(fail = false): { events: EventPublisher; sent: Array<{ type: string; data: Record<string, unknown> }> } {
  const sent: Array<{ type: string; data: Record<string, unknown> }> = [];
  const events = {
    async publish(tenant_id: string, type: string, data: Record<string, unknown>) {
      sent.push({ type, data });
      if (fail) throw new Error('down');
      return { id: 'x', type, tenant_id, created_at: '', data };
    },
  } as unknown as EventPublisher;
  return { events, sent };
}

describe('job progress events', () => {
  it('publishes at most one job.progress per job per interval, with the latest counts', () => {
    let now = 0;
    const { events, sent } = recorder();
    const p = createJobProgress(events, createLogger({ level: 'silent', role: 'test' }), { intervalMs: 1000, now: () => now });
    for (let i = 1; i <= 40; i++) {
      now = i * 100; // 40 chunks settled over 4 s
      p.update('tn', 'job-a', { total: 1000, completed: i * 25, failed: 0 });
    }
    p.update('tn', 'job-b', { total: 10, completed: 1, failed: 0 });
    expect(sent.filter((e) => e.data['job_id'] === 'job-a')).toHaveLength(4);
    expect(sent.every((e) => e.type === 'job.progress')).toBe(true);
    expect(sent.filter((e) => e.data['job_id'] === 'job-b')).toEqual([{ type: 'job.progress', data: { job_id: 'job-b', total: 10, completed: 1, failed: 0 } }]);
    p.done('job-a');
    p.update('tn', 'job-a', { total: 1000, completed: 1000, failed: 0 });
    expect(sent.filter((e) => e.data['job_id'] === 'job-a')).toHaveLength(5);
  });

  it('a failed progress publish is not thrown at the item path', async () => {
    const { events } = recorder(true);
    const p = createJobProgress(events, createLogger({ level: 'silent', role: 'test' }));
    expect(() => p.update('tn', 'job', { total: 1, completed: 0, failed: 0 })).not.toThrow();
    await new Promise((r) => setImmediate(r));
  });
});
