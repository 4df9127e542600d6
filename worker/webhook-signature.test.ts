import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const secret = fc.string({ minLength: 1, maxLength: 64 });
const body = fc.oneof(fc.string({ maxLength: 2000 }), fc.json());
const t = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 });

describe('webhook signatures', () => {
  it('has the documented shape: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const header = signWebhook('whsec', '{"a":1}', 1700000000);
    const hex = createHmac('sha256', 'whsec').update('1700000000.{"a":1}').digest('hex');
    expect(header).toBe(`t=1700000000,v1=${hex}`);
  });

  it('verifies what it signed, for any secret, body and time', () => {
    fc.assert(fc.property(secret, body, t, (s, b, ts) => verifyWebhookSignature(s, signWebhook(s, b, ts), b, 300, ts)));
    fc.assert(fc.property(secret, body, t, (s, b, ts) => verifyWebhookSignature(s, signWebhook(s, Buffer.from(b), ts), b, 300, ts)));
  });

  it('rejects any change to the body', () => {
    fc.assert(
      fc.property(secret, body, body, t, (s, b, other, ts) => {
        fc.pre(other !== b);
        return !verifyWebhookSignature(s, signWebhook(s, b, ts), other, 300, ts);
      }),
    );
  });

  it('rejects any change to t, even inside the tolerance', () => {
    fc.assert(
      fc.property(secret, body, t, fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((d) => d !== 0), (s, b, ts, d) => {
        const forged = signWebhook(s, b, ts).replace(`t=${ts}`, `t=${ts + d}`);
        return !verifyWebhookSignature(s, forged, b, Number.MAX_SAFE_INTEGER, ts);
      }),
    );
  });

  it('rejects another secret, a stale timestamp and malformed headers', () => {
    fc.assert(fc.property(secret, secret, body, t, (s, other, b, ts) => {
      fc.pre(s !== other);
      return !verifyWebhookSignature(other, signWebhook(s, b, ts), b, 300, ts);
    }));
    const header = signWebhook('k', 'x', 1000);
    expect(verifyWebhookSignature('k', header, 'x', 300, 1300)).toBe(true);
    expect(verifyWebhookSignature('k', header, 'x', 300, 1301)).toBe(false);
    fc.assert(fc.property(fc.string(), (h) => verifyWebhookSignature('k', h, 'x', 300, 1000) === (h === header)));
    expect(verifyWebhookSignature('k', `v1=${'0'.repeat(64)},${header}`, 'x', 300, 1000)).toBe(true); // rotation: any v1 matches
  });
});
