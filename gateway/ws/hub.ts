/**
 * WebSocket `/api/v1/ws`: streams a tenant's events to its connected apps. The token comes in the
 * `Sec-WebSocket-Protocol` header (offer `wardclerk.v1` plus the JWT as a second protocol) or in
 * the first message `{"type":"auth","token":"…"}` — never in the URL. Unauthenticated sockets are
 * closed after 5 s (code 4401). Frames are JSON unions on `type`. After `ready`, a client may run
 * text generations on the socket (generate-frames.ts); other frames get an error frame.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { decodeJson } from '../../core/bus.js';
import { WardEventSchema, type WardEvent } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { TokenService } from '../auth/token-service.js';
import type { Principal } from '../http/app-env.js';
import { bindGenerations } from './generate-frames.js';

export const WS_PATH = '/api/v1/ws';
export const WS_PROTOCOL = 'wardclerk.v1';
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const AUTH_DEADLINE_MS = 5000;
// Generate frames carry prompts; a clinical note with instructions fits well under this.
const MAX_FRAME_BYTES = 1024 * 1024;

const AuthFrame = z.object({ type: z.literal('auth'), token: z.string().min(1).max(8192) });

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
}

/** Serves `/api/v1/ws` on `server` (upgrade requests on other paths are dropped). */
export function attachWsHub(server: Server, deps: WsHubDeps): WsHub {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const byTenant = new Map<string, Set<WebSocket>>();
  // One NATS subscription per tenant with connected sockets, so a gateway with no WebSocket clients
  // does not receive (and parse) every event it publishes.
  const subs = new Map<string, Subscription>();
  let count = 0;

  const forward = (tenantId: string) => {
    const sub = deps.nc.subscribe(`wc.events.${tenantId}.>`);
    subs.set(tenantId, sub);
    void (async () => {
      for await (const m of sub) {
        const parsed = WardEventSchema.safeParse(decodeJson(m.data));
        if (!parsed.success || parsed.data.tenant_id !== tenantId) continue;
        const event: WardEvent = parsed.data;
        const frame = JSON.stringify({ type: 'event', event });
        for (const ws of byTenant.get(tenantId) ?? []) ws.send(frame);
      }
    })();
  };

  const join = (ws: WebSocket, principal: Extract<Principal, { kind: 'client' }>) => {
    const tenantId = principal.tenantId;
    let set = byTenant.get(tenantId);
    if (!set) byTenant.set(tenantId, (set = new Set()));
    set.add(ws);
    const subscribed = subs.has(tenantId) ? Promise.resolve() : (forward(tenantId), deps.nc.flush());
    count++;
    const generations = bindGenerations(ws, principal, { nc: deps.nc, log: deps.log, ...deps.generate });
    ws.on('message', (raw) => {
      let frame: unknown;
      try {
        frame = JSON.parse(String(raw));
      } catch {
        ws.send(JSON.stringify({ type: 'error', id: null, error: new WardClerkError('INVALID_JSON', 'Frames must be JSON').toJSON() }));
        return;
      }
      if (generations.handle(frame)) return;
      const type = (frame as { type?: unknown } | null)?.type;
      if (type === 'auth') return; // a repeated auth frame is harmless
      ws.send(JSON.stringify({ type: 'error', id: null, error: new WardClerkError('BAD_REQUEST', 'Unknown frame type').toJSON() }));
    });
    // 'ready' only once the server has our subscription: events after it are never missed.
    void subscribed.then(() => ws.send(JSON.stringify({ type: 'ready', tenant_id: tenantId })), () => ws.close(1011, 'subscription failed'));
    ws.once('close', () => {
      generations.abortAll();
      set.delete(ws);
      count--;
      if (set.size === 0) {
        byTenant.delete(tenantId);
        subs.get(tenantId)?.unsubscribe();
        subs.delete(tenantId);
      }
    });
  };

  const authenticate = async (ws: WebSocket, token: string): Promise<boolean> => {
    try {
      const principal = await deps.tokens.verify(token);
      if (ws.readyState !== ws.OPEN) return false; // it went away while the token was checked
      if (principal.kind !== 'client') {
        ws.close(4403, 'a tenant client token is required');
        return false;
      }
      join(ws, principal);
      return true;
    } catch {
      ws.close(4401, 'invalid token');
      return false;
    }
  };

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const headerToken = offered.find((p) => JWT.test(p));
    if (headerToken) {
      void authenticate(ws, headerToken);
      return;
    }
    const timer = setTimeout(() => ws.close(4401, 'authentication timeout'), AUTH_DEADLINE_MS);
    ws.once('message', (raw) => {
      clearTimeout(timer);
      let frame: z.infer<typeof AuthFrame>;
      try {
        frame = AuthFrame.parse(JSON.parse(String(raw)));
      } catch {
        ws.close(4400, 'expected {"type":"auth","token":…}');
        return;
      }
      void authenticate(ws, frame.token);
    });
    ws.once('close', () => clearTimeout(timer));
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  return {
    size: () => count,
    async close() {
      server.off('upgrade', onUpgrade);
      for (const sub of subs.values()) sub.unsubscribe();
      subs.clear();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
