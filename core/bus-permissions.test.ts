import { describe, expect, it } from 'vitest';
import { CANCEL_WILDCARD, GENERATE_INBOX_PREFIX, GENERATE_SUBJECT, STREAMS, contracts } from './contracts.js';
import { natsUsersFor, rolePermissions, serverOf } from './bus-permissions.js';
import { NATS_ROLES } from './nats-credentials.js';

const perms = rolePermissions();

describe('rolePermissions (derived from contracts.ts)', () => {
  it('lets exactly the serving role subscribe to each contract subject, and some other role call it', () => {
    for (const c of Object.values(contracts)) {
      const { server } = serverOf(c.subject);
      const subscribers = NATS_ROLES.filter((r) => perms[r].subscribe.includes(c.subject));
      expect(subscribers, c.subject).toEqual([server]);
      const callers = NATS_ROLES.filter((r) => perms[r].publish.includes(c.subject));
      expect(callers.length, c.subject).toBeGreaterThan(0);
      expect(callers, c.subject).not.toContain(server);
    }
  });

  it('gives the engine no store subject, no JetStream and no wildcard beyond its own', () => {
    const all = [...perms.engine.publish, ...perms.engine.subscribe];
    expect(all.some((s) => s.startsWith('wc.store.'))).toBe(false);
    expect(all.some((s) => s.startsWith('$JS.'))).toBe(false);
    expect(all).not.toContain('>');
    expect(all.filter((s) => s.endsWith('>')).sort()).toEqual(['_INBOX_engine.>', `${GENERATE_INBOX_PREFIX}.>`].sort());
    expect(perms.engine.subscribe).toEqual(expect.arrayContaining([GENERATE_SUBJECT, CANCEL_WILDCARD]));
  });

  it("gives every role its own inbox and nobody else's", () => {
    const generate = `${GENERATE_INBOX_PREFIX}.>`;
    for (const role of NATS_ROLES) {
      const inboxes = perms[role].subscribe.filter((s) => s.startsWith('_INBOX') && s !== generate);
      expect(inboxes).toEqual([`_INBOX_${role}.>`]);
      expect(perms[role].publish.filter((s) => s.startsWith('_INBOX'))).toEqual(role === 'engine' ? [generate] : []);
      // Replies go only to the requester's inbox, once per request.
      if (perms[role].allowResponses) expect(perms[role].allowResponses!.max).toBe(1);
    }
    // Only the gateway reads generation frames; no role's own inbox overlaps the generation space.
    expect(NATS_ROLES.filter((r) => perms[r].subscribe.includes(generate))).toEqual(['gateway']);
    for (const role of NATS_ROLES) expect(generate.startsWith(`_INBOX_${role}.`)).toBe(false);
  });

  it('lets only the worker pull and ack the work queues, and nobody delete or purge a stream', () => {
    for (const s of Object.values(STREAMS)) {
      if (!('consumer' in s)) continue;
      const next = `$JS.API.CONSUMER.MSG.NEXT.${s.name}.${s.consumer}`;
      expect(NATS_ROLES.filter((r) => perms[r].publish.includes(next))).toEqual(['worker']);
    }
    for (const role of NATS_ROLES) {
      expect(perms[role].publish.some((s) => /STREAM\.(DELETE|PURGE)|\$JS\.API\.>|^>$/.test(s))).toBe(false);
    }
  });

  it('names a role for every subject prefix and fails loudly for an unknown one', () => {
    expect(() => serverOf('wc.unknown.thing')).toThrow(/bus-permissions/);
  });

  it('builds one server-side user per role from public keys only', () => {
    const keys = { gateway: { publicKey: 'UG' }, engine: { publicKey: 'UE' }, worker: { publicKey: 'UW' } };
    const users = natsUsersFor(keys);
    expect(users.map((u) => u.nkey)).toEqual(['UG', 'UE', 'UW']);
    expect(users[1]!.permissions).toEqual(perms.engine);
  });
});
