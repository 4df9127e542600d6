/**
 * WebSocket `/api/v1/ws`: streams a tenant's events to its connected apps. The token comes in the
 * `Sec-WebSocket-Protocol` header (offer `wardclerk.v1` plus the JWT as a second protocol) or in
 * the first message `{"type":"auth","token":"…"}` — never in the URL. Unauthenticated sockets are
 * closed after 5 s (code 4401). Frames are JSON unions on `type` (ws-frames.ts lists them all).
 * `{"type":"ping"}` is answered with `{"type":"pong"}` at any time. After `ready`, a client may run
 * text generations on the socket (generate-frames.ts); other frames get an error frame.
 *
 * Hostile input never reaches the process: every socket has an 'error' listener (a protocol
 * violation such as a reserved bit, an unmasked or oversized frame closes that socket only),
 * frames are capped at MAX_FRAME_BYTES, sockets are capped per address and per tenant, a socket
 * that does not answer protocol pings or reads too slowly is dropped.
 *
 * A person's socket lives only as long as their session: a token whose session has ended is
 * refused (4401), one whose account must change its password too (4403), and an open socket is
 * closed (4401 "session revoked") as soon as its session ends in this process (`sessionEnded`).
 *
 * A patient's socket first gets a catch-up (`catchUp`): the `reminder.due` events of their
 * reminders due now and not checked in, sent just before `ready` (so a reminder that fell due while
 * no socket was open, e.g. during a gateway restart, still reaches the app). Each delivery id goes
 * to a socket once: a live event the catch-up already sent, or the catch-up of one sent live while
 * it was read, is not sent again.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { decodeJson } from '../../core/bus.js';
import { WardEventSchema, type WardEvent } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { TokenService } from '../auth/token-service.js';
import type { Principal } from '../http/app-env.js';
import { DEFAULT_MAX_SOCKETS_PER_ADDRESS, DEFAULT_MAX_SOCKETS_PER_TENANT, keyedCounter } from './connection-limits.js';
import { bindGenerations } from './generate-frames.js';
import { AuthFrameSchema, PingFrameSchema } from './ws-frames.js';

export const WS_PATH = '/api/v1/ws';
export const WS_PROTOCOL = 'wardclerk.v1';
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const AUTH_DEADLINE_MS = 5000;
/** Frames are small JSON; a generate frame's prompt (≤ 200,000 characters) is the largest. */
export const MAX_FRAME_BYTES = 256 * 1024;
// After our close frame, a peer that never completes the closing handshake is cut off this soon
// (ws would wait 30 s).
const CLOSE_GRACE_MS = 2000;
const HEARTBEAT_MS = 30_000;
// A reader this far behind on events is too slow to keep: its backlog would grow without end.
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface WsHub {
  close(): Promise<void>;
  /** Number of authenticated sockets (for tests and metrics). */
  size(): number;
}

export interface WsHubDeps {
  tokens: TokenService;
  nc: NatsConnection;
  log: Logger;
  /** Generation over the socket: engine idle timeout (config.engineTimeoutMs) and per-socket limit (default 4). */
  generate: { idleTimeoutMs: number; maxPerSocket?: number };
  /** Open sockets per client address (default 64) and authenticated sockets per tenant (default 256). */
  limits?: { perAddress?: number; perTenant?: number };
  /** Subscribes to sessions ending (logout, revocation, sweep); returns the unsubscribe. The gateway passes its session gate's. */
  sessionEnded?: (listener: (e: { sessionId: string }) => void) => () => void;
  /** A patient user's `reminder.due` events due now (scheduler/due-catch-up.ts), sent when their socket joins. None without it. */
  catchUp?: (tenantId: string, userId: string) => Promise<WardEvent[]>;
}

const errorFrame = (code: 'INVALID_JSON' | 'BAD_REQUEST', message: string) =>
  JSON.stringify({ type: 'error', id: null, error: new WardClerkError(code, message).toJSON() });

/** Closes with `code`, and cuts the socket off if the peer does not finish the closing handshake. */
function closeSoon(ws: WebSocket, code: number, reason: string): void {
  ws.close(code, reason);
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}

/** Writes a plain HTTP refusal on an upgrade socket that never became a WebSocket. */
function refuseUpgrade(socket: Duplex, status: string, extra = ''): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`);
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}

/** The pong for a ping frame (echoing its id), or null when `frame` is not a ping. */
function pongFor(frame: unknown): string | null {
  const ping = PingFrameSchema.safeParse(frame);
  if (!ping.success) return null;
  return JSON.stringify(ping.data.id === undefined ? { type: 'pong' } : { type: 'pong', id: ping.data.id });
}

function parseFrame(raw: unknown): { ok: true; frame: unknown } | { ok: false } {
  try {
    return { ok: true, frame: JSON.parse(String(raw)) };
  } catch {
    return { ok: false };
  }
}

/** Serves `/api/v1/ws` on `server` (upgrade requests on other paths get 404). */
export function attachWsHub(server: Server, deps: WsHubDeps): WsHub {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  wss.on('error', (err) => deps.log.warn({ err: { type: err.name, code: (err as NodeJS.ErrnoException).code } }, 'websocket server error'));
  const perAddress = keyedCounter(deps.limits?.perAddress ?? DEFAULT_MAX_SOCKETS_PER_ADDRESS);
  const perTenant = keyedCounter(deps.limits?.perTenant ?? DEFAULT_MAX_SOCKETS_PER_TENANT);
  const byTenant = new Map<string, Set<WebSocket>>();
  // A person's socket sees only events addressed to them (event.audience.user_ids); an API
  // client's socket sees every event of its tenant.
  const userOf = new WeakMap<WebSocket, string>();
  const sessionOf = new WeakMap<WebSocket, string>();
  // One NATS subscription per tenant with connected sockets, so a gateway with no WebSocket clients
  // does not receive (and parse) every event it publishes.
  const subs = new Map<string, Subscription>();
  const alive = new WeakMap<WebSocket, boolean>();
  // Per patient socket: the reminder.due ids it has been sent by the catch-up, and while that is
  // being read (`reading`), the ids sent live meanwhile (at most the catch-up's size plus those).
  const caughtUp = new WeakMap<WebSocket, { reading: boolean; sent: Set<string> }>();
  let count = 0;

  /** Whether `event` goes to `ws`; records a reminder.due id on a socket being caught up. */
  const firstTime = (ws: WebSocket, event: WardEvent): boolean => {
    const c = caughtUp.get(ws);
    if (!c || event.type !== 'reminder.due') return true;
    if (c.sent.has(event.id)) return false;
    if (c.reading) c.sent.add(event.id);
    return true;
  };

  const deliver = (tenantId: string, data: Uint8Array) => {
    let parsed;
    try {
      parsed = WardEventSchema.safeParse(decodeJson(data));
    } catch {
      return; // not JSON: nothing of ours
    }
    if (!parsed.success || parsed.data.tenant_id !== tenantId) return;
    const event: WardEvent = parsed.data;
    const frame = JSON.stringify({ type: 'event', event });
    const audience = event.audience?.user_ids;
    for (const ws of byTenant.get(tenantId) ?? []) {
      const user = userOf.get(ws);
      if (user !== undefined && !audience?.includes(user)) continue;
      if (!firstTime(ws, event)) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        deps.log.warn({ tenant_id: tenantId }, 'websocket reader too slow; dropped');
        ws.terminate();
      } else ws.send(frame);
    }
  };

  const forward = (tenantId: string) => {
    const sub = deps.nc.subscribe(`wc.events.${tenantId}.>`);
    subs.set(tenantId, sub);
    void (async () => {
      for await (const m of sub) deliver(tenantId, m.data);
    })().catch((err: Error) => deps.log.warn({ err: { type: err?.name }, tenant_id: tenantId }, 'websocket event subscription ended'));
  };

  /** Joins an authenticated socket to its tenant; returns its frame handler, or null when refused. */
  const join = (ws: WebSocket, principal: Extract<Principal, { kind: 'client' | 'user' }>): ((frame: unknown) => void) | null => {
    const tenantId = principal.tenantId;
    if (principal.kind === 'user') {
      userOf.set(ws, principal.sub);
      sessionOf.set(ws, principal.sid);
    }
    if (!perTenant.acquire(tenantId)) {
      closeSoon(ws, 4429, 'too many connections for this tenant');
      return null;
    }
    let set = byTenant.get(tenantId);
    if (!set) byTenant.set(tenantId, (set = new Set()));
    set.add(ws);
    const subscribed = subs.has(tenantId) ? Promise.resolve() : (forward(tenantId), deps.nc.flush());
    count++;
    const generations = bindGenerations(ws, principal, { nc: deps.nc, log: deps.log, ...deps.generate });
    // A patient's catch-up is read once subscribed, so a reminder due after the read comes live.
    const catchUp = principal.kind === 'user' && principal.role === 'patient' ? deps.catchUp : undefined;
    if (catchUp) caughtUp.set(ws, { reading: true, sent: new Set() });
    const sendCatchUp = async () => {
      if (!catchUp || principal.kind !== 'user') return;
      const state = caughtUp.get(ws)!;
      try {
        for (const event of await catchUp(tenantId, principal.sub)) {
          if (!event.audience?.user_ids.includes(principal.sub) || state.sent.has(event.id)) continue;
          state.sent.add(event.id);
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', event }));
        }
      } catch (e) {
        // The app still lists its due reminders over HTTP; the socket itself is fine.
        deps.log.warn({ err: { type: (e as Error)?.name }, tenant_id: tenantId }, 'websocket reminder catch-up failed');
      } finally {
        state.reading = false;
      }
    };
    // 'ready' only once the server has our subscription: events after it are never missed. A
    // patient's catch-up comes just before it.
    void subscribed.then(
      async () => {
        await sendCatchUp();
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ready', tenant_id: tenantId }));
      },
      () => closeSoon(ws, 1011, 'subscription failed'),
    );
    ws.once('close', () => {
      generations.abortAll();
      perTenant.release(tenantId);
      set.delete(ws);
      count--;
      if (set.size === 0) {
        byTenant.delete(tenantId);
        subs.get(tenantId)?.unsubscribe();
        subs.delete(tenantId);
      }
    });
    return (frame) => {
      if (generations.handle(frame)) return;
      const type = (frame as { type?: unknown } | null)?.type;
      if (type === 'auth') return; // a repeated auth frame is harmless
      ws.send(errorFrame('BAD_REQUEST', 'Unknown frame type'));
    };
  };

  const authenticate = async (ws: WebSocket, token: string): Promise<((frame: unknown) => void) | null> => {
    let principal: Principal;
    try {
      principal = await deps.tokens.verify(token);
    } catch (e) {
      closeSoon(ws, 4401, e instanceof WardClerkError && e.code === 'SESSION_REVOKED' ? 'session revoked' : 'invalid token');
      return null;
    }
    if (ws.readyState !== ws.OPEN) return null; // it went away while the token was checked
    if (principal.kind === 'operator') {
      closeSoon(ws, 4403, 'a tenant client or user token is required');
      return null;
    }
    if (principal.kind === 'user' && principal.mustChangePassword) {
      closeSoon(ws, 4403, 'password change required');
      return null;
    }
    const handler = join(ws, principal);
    // A session that ended between the check above and joining sent its event before this socket
    // was listed; a second look (the gate re-reads an ended session) closes that gap.
    if (handler && principal.kind === 'user') {
      void deps.tokens.verify(token).catch(() => {
        if (ws.readyState === ws.OPEN) closeSoon(ws, 4401, 'session revoked');
      });
    }
    return handler;
  };

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    // A protocol violation (reserved bits, unknown opcode, unmasked or oversized frame, bad UTF-8)
    // is reported here: drop that socket. Without this listener the error would end the process.
    ws.on('error', (err: Error & { code?: string }) => {
      deps.log.debug({ code: err.code }, 'websocket protocol error');
      ws.terminate();
    });
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));

    // Until authenticated, the only frames accepted are ping and one auth frame.
    let handler: ((frame: unknown) => void) | null = null;
    let authenticating = false;
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const headerToken = offered.find((p) => JWT.test(p));
    const timer = setTimeout(() => {
      if (!handler) closeSoon(ws, 4401, 'authentication timeout');
    }, AUTH_DEADLINE_MS);
    ws.once('close', () => clearTimeout(timer));
    const start = (token: string) => {
      authenticating = true;
      void authenticate(ws, token).then((h) => {
        handler = h;
        clearTimeout(timer);
      });
    };
    if (headerToken) start(headerToken);

    ws.on('message', (raw) => {
      const parsed = parseFrame(raw);
      if (!parsed.ok) {
        if (handler) ws.send(errorFrame('INVALID_JSON', 'Frames must be JSON'));
        else closeSoon(ws, 4400, 'expected {"type":"auth","token":…}');
        return;
      }
      const pong = pongFor(parsed.frame);
      if (pong) {
        ws.send(pong);
        return;
      }
      if (handler) {
        handler(parsed.frame);
        return;
      }
      if (authenticating) return; // frames before `ready` are not served; the client waits for it
      const auth = AuthFrameSchema.safeParse(parsed.frame);
      if (!auth.success) closeSoon(ws, 4400, 'expected {"type":"auth","token":…}');
      else start(auth.data.token);
    });
  });

  // Protocol-level heartbeat: a peer gone without a FIN (cable pulled, NAT expired) is found and freed.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const stopSessionWatch = deps.sessionEnded?.(({ sessionId }) => {
    for (const ws of wss.clients) if (sessionOf.get(ws) === sessionId && ws.readyState === ws.OPEN) closeSoon(ws, 4401, 'session revoked');
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without its error listener: a reset here must not end the process.
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      refuseUpgrade(socket, '404 Not Found');
      return;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    if (!perAddress.acquire(address)) {
      refuseUpgrade(socket, '429 Too Many Requests', 'Retry-After: 5\r\n');
      return;
    }
    let released = false;
    const release = () => {
      if (!released) perAddress.release(address);
      released = true;
    };
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  return {
    size: () => count,
    async close() {
      clearInterval(heartbeat);
      stopSessionWatch?.();
      server.off('upgrade', onUpgrade);
      for (const sub of subs.values()) sub.unsubscribe();
      subs.clear();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
