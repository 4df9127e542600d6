/**
 * `/api/v1/ws` in the OpenAPI document: the upgrade as a GET operation whose description lists
 * every frame, with the full catalogue (JSON Schema per frame) in `x-websocket-frames`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { CLIENT_FRAMES, CLOSE_CODES, SERVER_FRAMES, frameCatalogue } from './ws-frames.js';
import { MAX_FRAME_BYTES, WS_PATH, WS_PROTOCOL } from './hub.js';

function description(): string {
  const list = (frames: typeof CLIENT_FRAMES) => frames.map((f) => `- \`${f.type}\`: ${f.description}`).join('\n');
  return [
    `WebSocket (RFC 6455). Offer the subprotocols \`${WS_PROTOCOL}\` and a tenant client token (e.g. \`new WebSocket(url, ['${WS_PROTOCOL}', token])\`), or send {"type":"auth","token"} first; never put the token in the URL.`,
    `Every frame is one JSON text message with a \`type\`; at most ${MAX_FRAME_BYTES / 1024} KiB. Protocol violations close the socket (1002/1009). Connections are capped per address and per tenant (429 on the upgrade, close code 4429).`,
    '',
    'Client → server:',
    list(CLIENT_FRAMES),
    '',
    'Server → client:',
    list(SERVER_FRAMES),
    '',
    'Close codes: ' + Object.entries(CLOSE_CODES).map(([c, m]) => `${c} ${m}`).join('; ') + '.',
  ].join('\n');
}

/** Registers the `/api/v1/ws` path. */
export function registerWsDocs(registry: OpenAPIHono['openAPIRegistry']): void {
  registry.registerPath({
    method: 'get',
    path: WS_PATH,
    summary: 'WebSocket: tenant events, pings and streamed generation',
    tags: ['websocket'],
    description: description(),
    'x-websocket-frames': frameCatalogue(),
    responses: {
      101: { description: 'Switching Protocols: the socket is open; the first server frame is ready (or a close code)' },
      400: { description: 'Not a valid WebSocket upgrade' },
      429: { description: 'Too many WebSocket connections from this address (Retry-After)' },
    },
  });
}
