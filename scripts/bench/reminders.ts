/**
 * Reminders (issue 8), on the real encrypted store (LevelDB on disk, group-committed synced
 * batches) and the real dispatcher on the real clock:
 * 1. 100,000 active reminder series in one tenant (500 patients × 200 activities, common Timings):
 *    creation rate through `opsForActivation` + one write per plan, memory, store size, and the
 *    dispatcher's scan cost with 100,000 entries in the due index (peek for the next due entry,
 *    a scan when nothing is due, a full walk of the index). Baseline: the same number of synced
 *    batches carrying the same number of ops of random bytes (the bare store cost).
 * 2. Dispatch lag while 1,000 reminders fall due in the same minute (all at one instant, the worst
 *    case): lag = batch durable − due time, p50/p99/max; target p99 < 1 s. Baseline: one reminder
 *    falling due alone, 20 times, in the same store. Events are staged in the real outbox; the
 *    JetStream publish happens after the commit and is not part of the lag.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { initCrypto, randomKey } from '../../core/crypto.js';
import type { TimingRepeat } from '../../core/clinical/fhir-dosage.js';
import { createLogger } from '../../core/logger.js';
import type { EventPublisher } from '../../gateway/events/publisher.js';
import { createScheduler, type Scheduler } from '../../gateway/scheduler/scheduler.js';
import { activity } from '../../gateway/scheduler/testing/scheduler-kit.js';
import type { ReminderRecord } from '../../gateway/store/reminders-records.js';
import { openStore, type Store } from '../../gateway/store/store.js';

const REPEATS: TimingRepeat[] = [
  { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 14, code: 'd' } },
  { frequency: 3, period: 1, periodUnit: 'd', boundsDuration: { value: 7, code: 'd' } },
  { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  { period: 8, periodUnit: 'h', boundsDuration: { value: 10, code: 'd' } },
  { frequency: 1, period: 1, periodUnit: 'd', when: ['ACM'] },
];
const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'];
const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; };
const r1 = (x: number): number => Math.round(x * 10) / 10;
const mb = (x: number): number => Math.round(x / 1048576);

function makeScheduler(store: Store, onDelivered?: (r: ReminderRecord, dueAt: number) => void): Scheduler {
  const events: Pick<EventPublisher, 'stage' | 'release'> = {
    stage: (tenantId, type, data, id = 'x', audience) => {
      const event = { id, type, tenant_id: tenantId, created_at: '', data, ...(audience ? { audience: { user_ids: audience } } : {}) };
      return { event, op: store.outbox.op(event) };
    },
    release: (e) => void store.outbox.remove([e.id]),
  };
  return createScheduler({ repo: store.reminders, events, log: createLogger({ level: 'error', role: 'bench' }), settings: store.settings,
    careTeam: async () => [], dispatcher: { concurrency: 64, onDelivered } });
}

export async function benchReminders(patients = 500, perPatient = 200): Promise<Record<string, unknown>> {
  await initCrypto();
  const root = await mkdtemp(join(tmpdir(), 'wc-bench-rem-'));
  const store = await openStore({ dir: join(root, 'db'), masterKey: randomKey() });
  try {
    const tenant = await store.tenants.create({ name: 'bench' });
    const lag: number[] = [];
    let collect: ((r: ReminderRecord, dueAt: number) => void) | null = null;
    const scheduler = makeScheduler(store, (r, dueAt) => collect?.(r, dueAt));
    const pts: string[] = [];
    for (let p = 0; p < patients; p++) {
      pts.push((await store.patients.create(tenant.id, { name: { family: 'Bench', given: [] }, time_zone: ZONES[p % ZONES.length]! }, { userId: `us_b${p}`, createdBy: 'bench' })).patient_id);
    }
    // 1. 100,000 series, far enough ahead that none falls due during the bench.
    const start = new Date(Date.now() + 2 * 86_400_000);
    const rss0 = process.memoryUsage().rss;
    let ops = 0;
    const t0 = performance.now();
    const lanes = 8;
    await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
      for (let p = lane; p < patients; p += lanes) {
        const activities = Array.from({ length: perPatient }, (_, i) => activity(`a${i}`, { repeat: REPEATS[i % REPEATS.length]! }));
        const r = await scheduler.opsForActivation({ tenantId: tenant.id, patientId: pts[p]!, carePlanId: `cp_${p}`, audience: [`us_b${p}`], zone: ZONES[p % ZONES.length]!, activities, start });
        ops += r.ops.length;
        await store.reminders.write(r.ops);
      }
    }));
    const createMs = performance.now() - t0;
    const series = patients * perPatient;
    const rss1 = process.memoryUsage().rss;
    // Baseline: the same synced batches and op count, random 300-byte values, no scheduling or sealing.
    const tb = performance.now();
    await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
      for (let p = lane; p < patients; p += lanes) {
        const n = Math.round(ops / patients);
        await store.reminders.write(Array.from({ length: n }, (_, i) => ({ type: 'put' as const, key: `zz-bench!${p}:${i}`, value: randomBytes(300) })));
      }
    }));
    const baseMs = performance.now() - tb;
    const tPeek = performance.now();
    for (let i = 0; i < 1000; i++) await store.reminders.nextDueAt();
    const peekUs = ((performance.now() - tPeek) * 1000) / 1000;
    const tScan = performance.now();
    for (let i = 0; i < 100; i++) await scheduler.dispatcher.runDue();
    const idleScanUs = ((performance.now() - tScan) * 1000) / 100;
    const tWalk = performance.now();
    const all = await store.reminders.dueUntil(Number.MAX_SAFE_INTEGER / 1e3, 1_000_000);
    const walkMs = performance.now() - tWalk;
    const dbBytes = Number(execSync(`du -sb ${join(root, 'db')}`).toString().split('\t')[0]);

    // 2. Lag. Baseline: one reminder alone, 20 times.
    scheduler.start();
    // The dispatcher's timers are unref'd (the gateway's server keeps the process alive): hold it here.
    const keepAlive = setInterval(() => undefined, 1000);
    const due = async (count: number, inMs: number): Promise<number[]> => {
      lag.length = 0;
      const at = Date.now() + inMs;
      const done = new Promise<void>((resolve) => { collect = (_r, dueAt) => { lag.push(Date.now() - dueAt); if (lag.length >= count) resolve(); }; });
      const per = Math.ceil(count / patients);
      let made = 0;
      for (let p = 0; made < count; p++) {
        const n = Math.min(per, count - made);
        const r = await scheduler.opsForActivation({ tenantId: tenant.id, patientId: pts[p % patients]!, carePlanId: `cp_lag_${at}_${p}`, audience: [`us_b${p}`], zone: 'UTC',
          activities: Array.from({ length: n }, (_, i) => activity(`l${i}`, { repeat: { count: 1 } })), start: new Date(at) });
        await store.reminders.write(r.ops);
        r.after();
        made += n;
      }
      await done;
      return [...lag];
    };
    const alone: number[] = [];
    for (let i = 0; i < 20; i++) alone.push(...await due(1, 300));
    const burst = await due(1000, 3000);
    await scheduler.close();
    clearInterval(keepAlive);
    return {
      series,
      create_ms: Math.round(createMs),
      create_series_per_s: Math.round(series / (createMs / 1000)),
      ops_written: ops,
      baseline_same_ops_ms: Math.round(baseMs),
      ratio_create_vs_bare_writes: r1(createMs / baseMs),
      rss_delta_mb: mb(rss1 - rss0),
      heap_used_mb: mb(process.memoryUsage().heapUsed),
      store_mb: mb(dbBytes),
      due_index_entries: all.length,
      next_due_peek_us: r1(peekUs),
      idle_scan_us: r1(idleScanUs),
      full_due_index_walk_ms: Math.round(walkMs),
      lag_1000_same_instant_ms: { p50: pct(burst, 50), p99: pct(burst, 99), max: Math.max(...burst), n: burst.length },
      baseline_lag_alone_ms: { p50: pct(alone, 50), p99: pct(alone, 99), max: Math.max(...alone), n: alone.length },
      p99_under_1s: pct(burst, 99) < 1000,
    };
  } finally {
    await store.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [p, n] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await benchReminders(p || undefined, n || undefined), null, 2));
}
