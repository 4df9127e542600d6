/**
 * What each role may publish and subscribe to on NATS, derived from contracts.ts so the
 * permissions follow the subjects: a contract's server is named by its subject prefix
 * (`wc.engine.*` → engine, `wc.store.*` → gateway), its callers by that prefix unless CALLERS
 * below narrows them, and
 * JetStream rights come from STREAMS (who publishes to a stream, who consumes it). Nothing else
 * is allowed: an engine cannot reach the store subjects, no role reads another role's inbox, and
 * only the gateway and worker touch the JetStream API, for WardClerk's own streams.
 */
import { CANCEL_WILDCARD, ENGINE_INFO_SUBJECT, GENERATE_INBOX_PREFIX, GENERATE_SUBJECT, STREAMS, contracts } from './contracts.js';
import { NATS_ROLES, inboxPrefixOf, type NatsRole } from './nats-credentials.js';

export interface RolePermissions {
  publish: string[];
  subscribe: string[];
  /**
   * Replies this role may publish to the reply subject of a message it received (nats-server
   * `allow_responses`); `max` is the number of replies per request (streamed generation needs many).
   */
  allowResponses: { max: number; expires: string } | null;
}

type ContractName = keyof typeof contracts;

/**
 * A contract's server, by subject prefix, and the roles that may call it unless CALLERS narrows
 * that. A contract another change adds under a known prefix is covered at once; a new prefix
 * fails loudly (serverOf) until it is named here.
 */
const SERVERS: ReadonlyArray<{ prefix: string; server: NatsRole; defaultCallers: readonly NatsRole[] }> = [
  { prefix: 'wc.engine.', server: 'engine', defaultCallers: ['gateway', 'worker'] },
  { prefix: 'wc.store.', server: 'gateway', defaultCallers: ['worker'] },
];

/** Contracts only some of their prefix's default callers use (the worker never runs OCR or loads models). */
const CALLERS: Partial<Record<ContractName, readonly NatsRole[]>> = {
  engineSig: ['gateway'],
  enginePing: ['gateway'],
  // The documents pipeline (worker) OCRs the pages of scans and photos.
  engineOcr: ['gateway', 'worker'],
  engineModelsLoad: ['gateway'],
  engineModelsUnload: ['gateway'],
};

type StreamName = keyof typeof STREAMS;

/** Who publishes to each JetStream stream and who consumes its durable consumer (if any). */
const STREAM_ROLES: { [K in StreamName]: { publishers: readonly NatsRole[]; consumers: readonly NatsRole[] } } = {
  items: { publishers: ['gateway'], consumers: ['worker'] },
  events: { publishers: ['gateway'], consumers: ['worker'] },
  // The worker fans events out into deliveries; the gateway re-queues one an operator asks to redeliver.
  deliveries: { publishers: ['worker', 'gateway'], consumers: ['worker'] },
  notes: { publishers: ['gateway'], consumers: ['worker'] },
  docs: { publishers: ['gateway'], consumers: ['worker'] },
  dead: { publishers: ['worker'], consumers: [] },
};

/** Roles that create/update streams and consumers at start (ensureStreams) and read their state. */
const STREAM_ADMINS: readonly NatsRole[] = ['gateway', 'worker'];

/** The server role of a contract subject; throws for a subject no role is set up to serve. */
export function serverOf(subject: string): { server: NatsRole; defaultCallers: readonly NatsRole[] } {
  const entry = SERVERS.find((s) => subject.startsWith(s.prefix));
  if (!entry) throw new Error(`No NATS role serves ${subject}: add its prefix to SERVERS in core/bus-permissions.ts`);
  return entry;
}

function add(perms: Record<NatsRole, RolePermissions>, roles: readonly NatsRole[], kind: 'publish' | 'subscribe', ...subjects: string[]): void {
  for (const role of roles) for (const s of subjects) if (!perms[role][kind].includes(s)) perms[role][kind].push(s);
}

/** Every role's permissions. Pure: the same contracts always give the same lists. */
export function rolePermissions(): Record<NatsRole, RolePermissions> {
  const perms = {} as Record<NatsRole, RolePermissions>;
  for (const r of NATS_ROLES) perms[r] = { publish: [], subscribe: [`${inboxPrefixOf(r)}.>`], allowResponses: null };

  for (const [name, c] of Object.entries(contracts) as Array<[ContractName, { subject: string }]>) {
    const { server, defaultCallers } = serverOf(c.subject);
    add(perms, [server], 'subscribe', c.subject);
    add(perms, CALLERS[name] ?? defaultCallers, 'publish', c.subject);
  }
  // Streamed generation and its cancel messages (not request/reply contracts).
  add(perms, ['engine'], 'subscribe', GENERATE_SUBJECT, CANCEL_WILDCARD);
  add(perms, ['gateway'], 'publish', GENERATE_SUBJECT, CANCEL_WILDCARD);
  // A generation's frames go to its own inbox space, not a role's reply inbox (see GENERATE_INBOX_PREFIX).
  add(perms, ['engine'], 'publish', `${GENERATE_INBOX_PREFIX}.>`);
  add(perms, ['gateway'], 'subscribe', `${GENERATE_INBOX_PREFIX}.>`);
  add(perms, ['engine'], 'publish', ENGINE_INFO_SUBJECT);
  add(perms, ['gateway'], 'subscribe', ENGINE_INFO_SUBJECT);
  // Servers answer once, only on the reply subject of a request they received. (max 1 matters:
  // nats-server forgets a reply permission once used up or expired, and rescans its table on every
  // delivery once it holds over 4096 entries.)
  perms.engine.allowResponses = { max: 1, expires: '30m' };
  perms.gateway.allowResponses = { max: 1, expires: '10m' };

  const api = '$JS.API';
  // Account info (limits and usage, no message data): nats clients ask for it when they open JetStream.
  add(perms, STREAM_ADMINS, 'publish', `${api}.INFO`);
  for (const [key, stream] of Object.entries(STREAMS) as Array<[StreamName, (typeof STREAMS)[StreamName]]>) {
    const roles = STREAM_ROLES[key] ?? { publishers: [], consumers: [] };
    const s = stream.name;
    add(perms, roles.publishers, 'publish', ...stream.subjects);
    add(
      perms, STREAM_ADMINS, 'publish',
      `${api}.STREAM.CREATE.${s}`, `${api}.STREAM.UPDATE.${s}`, `${api}.STREAM.INFO.${s}`, `${api}.STREAM.MSG.GET.${s}`,
      `${api}.CONSUMER.CREATE.${s}.>`, `${api}.CONSUMER.DURABLE.CREATE.${s}.>`, `${api}.CONSUMER.INFO.${s}.>`,
    );
    const consumer = 'consumer' in stream ? stream.consumer : undefined;
    if (consumer !== undefined) {
      add(
        perms, roles.consumers, 'publish',
        `${api}.CONSUMER.MSG.NEXT.${s}.${consumer}`, `$JS.ACK.${s}.${consumer}.>`, `${api}.STREAM.MSG.DELETE.${s}`,
      );
      add(perms, roles.consumers, 'subscribe', `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${s}.${consumer}`);
    }
  }
  // The gateway's WebSocket hub forwards a tenant's events as they are published (ids only).
  add(perms, ['gateway'], 'subscribe', ...STREAMS.events.subjects);
  return perms;
}

/** The server-side user list for the roles' public keys: one NKey user per role with its permissions. */
export function natsUsersFor(credentials: Readonly<Record<NatsRole, { publicKey: string }>>): Array<{ nkey: string; permissions: RolePermissions }> {
  const perms = rolePermissions();
  return NATS_ROLES.map((role) => ({ nkey: credentials[role].publicKey, permissions: perms[role] }));
}
