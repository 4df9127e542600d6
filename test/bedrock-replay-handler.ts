/**
 * Recorded Bedrock Converse / ConverseStream answers served through an injected HTTP handler, so
 * the real BedrockRuntimeClient (serialisation, signing, retries, event-stream decoding) runs and
 * only the socket is swapped (STYLE habit 18). Used where the loopback replay server cannot serve
 * the binary `application/vnd.amazon.eventstream` body (test/replay-server.ts sends strings).
 * Answers follow the request: a `toolConfig` gets the forced tool call, otherwise text.
 */
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';

/** Encodes one AWS event-stream message (prelude, string headers, JSON payload, CRCs). */
export function encodeEvent(eventType: string, payload: unknown): Buffer {
  const headers = Buffer.concat(
    Object.entries({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }).map(([k, v]) => {
      const name = Buffer.from(k);
      const value = Buffer.from(v);
      const len = Buffer.alloc(2);
      len.writeUInt16BE(value.length);
      return Buffer.concat([Buffer.from([name.length]), name, Buffer.from([7]), len, value]);
    }),
  );
  const body = Buffer.from(JSON.stringify(payload));
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude));
  const head = Buffer.concat([prelude, preludeCrc, headers, body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(head));
  return Buffer.concat([head, crc]);
}

export const RECORDED_TEXT = 'Asthma is a common chronic disease of the airways that causes wheeze and breathlessness in many people';
export const RECORDED_JSON = { disease: 'asthma', medication: 'salbutamol' };
const USAGE = { inputTokens: 31, outputTokens: 19, totalTokens: 50 };

function converseBody(json: boolean): unknown {
  const content = json ? [{ toolUse: { toolUseId: 'tooluse_rec1', name: 'emit_json', input: RECORDED_JSON } }] : [{ text: RECORDED_TEXT }];
  return { output: { message: { role: 'assistant', content } }, stopReason: json ? 'tool_use' : 'end_turn', usage: USAGE, metrics: { latencyMs: 412 } };
}

function streamEvents(json: boolean): Buffer[] {
  const pieces = json ? ['{"disease": "as', 'thma", "medica', 'tion": "salbutamol"}'] : RECORDED_TEXT.split(/(?<= )/);
  const start = json ? [encodeEvent('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_rec1', name: 'emit_json' } } })] : [];
  return [
    encodeEvent('messageStart', { role: 'assistant' }),
    ...start,
    ...pieces.map((p) => encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: json ? { toolUse: { input: p } } : { text: p } })),
    encodeEvent('contentBlockStop', { contentBlockIndex: 0 }),
    encodeEvent('messageStop', { stopReason: json ? 'tool_use' : 'end_turn' }),
    encodeEvent('metadata', { usage: USAGE, metrics: { latencyMs: 412 } }),
  ];
}

interface HandlerRequest {
  path: string;
  body?: unknown;
}

/** An SDK `requestHandler` answering Converse and ConverseStream from the recordings above. */
export function bedrockReplayHandler() {
  const requests: Array<{ path: string; body: unknown }> = [];
  return {
    requests,
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HandlerRequest, options: { abortSignal?: AbortSignal } = {}) {
      const raw = request.body instanceof Uint8Array ? Buffer.from(request.body).toString('utf8') : String(request.body ?? '{}');
      const body = JSON.parse(raw) as { toolConfig?: unknown };
      requests.push({ path: request.path, body });
      const json = body.toolConfig !== undefined;
      if (request.path.endsWith('/converse-stream')) {
        const events = streamEvents(json);
        // Paced one event per tick so a consumer can abort mid-stream; abort ends the body with an error.
        const stream = Readable.from((async function* () {
          for (const e of events) {
            await new Promise((r) => setImmediate(r));
            yield e;
          }
        })());
        options.abortSignal?.addEventListener('abort', () => stream.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
        return { response: { statusCode: 200, reason: 'OK', headers: { 'content-type': 'application/vnd.amazon.eventstream' }, body: stream } };
      }
      const payload = Buffer.from(JSON.stringify(converseBody(json)));
      return { response: { statusCode: 200, reason: 'OK', headers: { 'content-type': 'application/json' }, body: Readable.from([payload]) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
