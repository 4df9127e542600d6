import fc from 'fast-check';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { buildFrame } from './raw-ws.js';

/** ws's frame parser: exported by the package at runtime, absent from @types/ws. */
interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'error', listener: (e: Error & { code?: string }) => void): void;
  write(chunk: Buffer): void;
}
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean; maxPayload: number }) => FrameReceiver };

/** Feeds bytes to ws's own frame parser (as a server would) and collects messages or the error. */
async function parse(bytes: Buffer, maxPayload = 0): Promise<{ messages: Buffer[]; error?: string }> {
  const messages: Buffer[] = [];
  let error: string | undefined;
  const r = new Receiver({ isServer: true, maxPayload });
  r.on('message', (data: Buffer) => messages.push(Buffer.from(data)));
  r.on('error', (e: Error & { code?: string }) => (error = e.code));
  r.write(bytes);
  await new Promise((done) => setImmediate(done)); // a Writable reports errors on a later tick
  return { messages, error };
}

describe('buildFrame', () => {
  it('builds valid masked frames that ws decodes to the same payload, at every length encoding', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 70_000 }), async (payload) => {
        const out = await parse(buildFrame({ opcode: 0x2, payload: Buffer.from(payload) }));
        expect(out.error).toBeUndefined();
        expect(out.messages).toHaveLength(1);
        expect(out.messages[0]!.equals(Buffer.from(payload))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('builds the invalid frames the hostile tests rely on, each rejected by ws with its code', async () => {
    expect((await parse(buildFrame({ opcode: 0x1, payload: 'x', rsv: 0b100 }))).error).toBe('WS_ERR_UNEXPECTED_RSV_1');
    expect((await parse(buildFrame({ opcode: 0x1, payload: 'x', rsv: 0b010 }))).error).toBe('WS_ERR_UNEXPECTED_RSV_2_3');
    expect((await parse(buildFrame({ opcode: 0x3, payload: 'x' }))).error).toBe('WS_ERR_INVALID_OPCODE');
    expect((await parse(buildFrame({ opcode: 0x9, payload: Buffer.alloc(126) }))).error).toBe('WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH');
    expect((await parse(buildFrame({ opcode: 0x9, payload: 'x', fin: false }))).error).toBe('WS_ERR_EXPECTED_FIN');
    expect((await parse(buildFrame({ opcode: 0x1, payload: 'x', mask: false }))).error).toBe('WS_ERR_EXPECTED_MASK');
    expect((await parse(buildFrame({ opcode: 0x1, payload: 'x', declaredLength: 100 * 1024 * 1024 }), 256 * 1024)).error).toBe('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
  });
});
