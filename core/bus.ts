/**
 * The NATS bus: one connection per process, typed request/reply over the contracts in
 * contracts.ts, and JetStream access. Replies travel as `{ok:true, data}` or `{ok:false, error}`
 * so coded errors cross process boundaries intact.
 */
import { connect } from '@nats-io/transport-node';
import { AuthorizationError, NoRespondersError, PermissionViolationError, TimeoutError, createInbox, nkeyAuthenticator, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { z } from 'zod';
import { WardClerkError, errorFromJSON, isWardClerkError, type ErrorCode } from './errors.js';
import type { Contract } from './contracts.js';
import type { Logger } from './logger.js';
import type { NatsCredentials } from './nats-credentials.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface RequestOptions {
  timeoutMs?: number;
}

export interface ServeOptions {
  /** Queue group: one member answers each request. Omit for every member to answer. */
  queue?: string;
}

export interface Bus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Sends a request checked against the contract; resolves with the checked reply or throws a coded error. */
  request<C extends Contract>(c: C, payload: z.input<C['request']>, options?: RequestOptions): Promise<z.output<C['response']>>;
  /** Answers requests on a contract's subject. Handlers run concurrently. */
  serve<C extends Contract>(
    c: C,
    handler: (request: z.output<C['request']>) => Promise<z.input<C['response']>>,
    options?: ServeOptions,
  ): Subscription;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ConnectBusOptions {
  url: string;
  name: string;
  log: Logger;
  /** This role's NKey user (core/nats-credentials.ts); omit only for a server without authorization. */
  credentials?: NatsCredentials;
}

const inboxPrefixes = new WeakMap<NatsConnection, string>();

/**
 * A new reply inbox on `nc` under its role's inbox prefix (`_INBOX_<role>.…`), the only inboxes
 * that role may subscribe to. Use it instead of nats' createInbox() for hand-made reply subjects.
 */
export function inboxFor(nc: NatsConnection): string {
  return createInbox(inboxPrefixes.get(nc));
}

/** Whether any server in a NATS URL list uses the tls:// scheme. */
export function requiresTls(url: string): boolean {
  return url.split(',').some((u) => u.trim().toLowerCase().startsWith('tls://'));
}

/**
 * A refused first connection as a coded error that says what to fix. Never names the URL (it may
 * carry a user:password) nor anything from the credentials file.
 */
function connectError(e: unknown, options: ConnectBusOptions): unknown {
  if (e instanceof AuthorizationError || (e instanceof Error && /authorization/i.test(e.message))) {
    const has = options.credentials !== undefined;
    return new WardClerkError(
      'CONFIG_INVALID',
      has
        ? `The NATS server refused the ${options.credentials!.role}'s credentials: copy the current ${options.credentials!.role}.json from the NATS host's <data>/nats-credentials/`
        : "The NATS server requires credentials: set WARDCLERK_NATS_CREDENTIALS to this role's file from the NATS host's <data>/nats-credentials/",
      { cause: e, details: { variable: 'WARDCLERK_NATS_CREDENTIALS', reason: has ? 'nats_credentials_refused' : 'nats_credentials_missing' } },
    );
  }
  if (requiresTls(options.url) && e instanceof Error && /tls/i.test(e.message)) {
    return new WardClerkError('CONFIG_INVALID', 'NATS_URL asks for TLS (tls://) but the NATS server offers none: enable tls {} in its config', {
      cause: e, details: { variable: 'NATS_URL', reason: 'nats_tls_unavailable' },
    });
  }
  return e;
}

function unavailableCode(subject: string): ErrorCode {
  if (subject.startsWith('wc.engine.')) return 'ENGINE_UNAVAILABLE';
  if (subject.startsWith('wc.store.')) return 'STORE_UNAVAILABLE';
  return 'INTERNAL';
}

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}

/** Connects to NATS (reconnecting forever) and returns the bus. */
export async function connectBus(options: ConnectBusOptions): Promise<Bus> {
  const nc = await connect({
    servers: options.url,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Wait for a server that is still starting — except over TLS, where a server without TLS must
    // fail the start with a clear error instead of being retried forever.
    waitOnFirstConnect: !requiresTls(options.url),
    // nats.js allocates an Error per request for async stack traces; on the hot path that costs
    // more than the request itself. Our coded errors name the subject instead.
    noAsyncTraces: true,
    // A tls:// URL means TLS or nothing: nats.js upgrades only when the server asks, so a server (or
    // a man in the middle) that offers none would get plaintext. The CA comes from Node's store
    // (NODE_EXTRA_CA_CERTS adds a hospital CA).
    ...(requiresTls(options.url) ? { tls: {} } : {}),
    // The seed signs the server's nonce: it never crosses the wire, and the server holds only the public key.
    ...(options.credentials
      ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(options.credentials.seed)), inboxPrefix: options.credentials.inboxPrefix }
      : {}),
  }).catch((e: unknown) => {
    throw connectError(e, options);
  });
  if (options.credentials) inboxPrefixes.set(nc, options.credentials.inboxPrefix);
  // A subject this role may not use is a wiring bug (core/bus-permissions.ts): say so loudly, once per subject.
  const refused = new Set<string>();
  void (async () => {
    for await (const st of nc.status()) {
      if (st.type !== 'error' || !(st.error instanceof PermissionViolationError)) continue;
      const key = `${st.error.operation} ${st.error.subject}`;
      if (refused.has(key) || refused.size > 100) continue;
      refused.add(key);
      options.log.error({ nats_permission_denied: { operation: st.error.operation, subject: st.error.subject } }, 'NATS refused an operation to this role');
    }
  })().catch(() => undefined);
  const js = jetstream(nc);
  // No API check at connect: engines run against servers without JetStream; users of jsm fail clearly.
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  const log = options.log;
  const subs: Subscription[] = [];

  async function request<C extends Contract>(c: C, payload: z.input<C['request']>, opts: RequestOptions = {}) {
    const parsedRequest = c.request.safeParse(payload);
    if (!parsedRequest.success) {
      // A caller let through what the contract refuses: a coded 400 naming the fields, never a raw ZodError (a 500).
      const issues = parsedRequest.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new WardClerkError('VALIDATION_FAILED', 'The request does not fit the service contract', { details: { subject: c.subject, issues } });
    }
    const checked = parsedRequest.data;
    let msg: Msg;
    try {
      msg = await nc.request(c.subject, encodeJson(checked), { timeout: opts.timeoutMs ?? 5000 });
    } catch (e) {
      if (e instanceof NoRespondersError || (e instanceof Error && e.message.includes('no responders'))) {
        throw new WardClerkError(unavailableCode(c.subject), `No service is answering ${c.subject}`, { cause: e, details: { subject: c.subject } });
      }
      if (e instanceof PermissionViolationError || (e instanceof Error && e.cause instanceof PermissionViolationError)) {
        // This role's NATS user may not use the subject (core/bus-permissions.ts): a wiring bug, not the caller's fault.
        throw new WardClerkError('INTERNAL', `This role may not use ${c.subject} on the bus`, { cause: e, details: { subject: c.subject, reason: 'nats_permission_denied' } });
      }
      if (e instanceof TimeoutError || (e instanceof Error && e.name === 'TimeoutError')) {
        throw new WardClerkError('TIMEOUT', `No reply on ${c.subject} in time`, { cause: e, details: { subject: c.subject } });
      }
      throw e;
    }
    const reply = decodeJson(msg.data) as { ok?: boolean; data?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } };
    if (reply.ok === true) return c.response.parse(reply.data) as z.output<C['response']>;
    if (reply.ok === false && reply.error) throw errorFromJSON(reply.error);
    throw new WardClerkError('INTERNAL', `Malformed reply on ${c.subject}`);
  }

  function serve<C extends Contract>(
    c: C,
    handler: (request: z.output<C['request']>) => Promise<z.input<C['response']>>,
    opts: ServeOptions = {},
  ): Subscription {
    const sub = nc.subscribe(c.subject, opts.queue ? { queue: opts.queue } : {});
    subs.push(sub);
    const answer = async (m: Msg) => {
      let reply: unknown;
      try {
        const parsed = c.request.safeParse(decodeJson(m.data));
        if (!parsed.success) throw new WardClerkError('VALIDATION_FAILED', `Invalid request on ${c.subject}`);
        // The handler's result is typed; the requester checks it against the contract on arrival,
        // so it is not parsed twice.
        reply = { ok: true, data: await handler(parsed.data as z.output<C['request']>) };
      } catch (e) {
        if (isWardClerkError(e)) reply = { ok: false, error: e.toJSON() };
        else {
          log.error({ subject: c.subject, err: { type: (e as Error)?.name, stack: (e as Error)?.stack } }, 'handler failed');
          reply = { ok: false, error: { code: 'INTERNAL', message: 'Internal error', details: {} } };
        }
      }
      if (m.reply) m.respond(encodeJson(reply));
    };
    void (async () => {
      for await (const m of sub) void answer(m);
    })();
    return sub;
  }

  async function close() {
    for (const s of subs.reverse()) s.unsubscribe();
    if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
  }

  return { nc, js, jsm, request, serve, close, [Symbol.asyncDispose]: close };
}
