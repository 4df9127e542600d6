/**
 * Webhook signatures, Stripe-style: `X-WardClerk-Signature: t=<unix seconds>,v1=<hex>` where the hex
 * is HMAC-SHA256(secret, "<t>.<body>") over the exact body bytes sent. The timestamp is signed so a
 * captured delivery cannot be replayed later; receivers check it within a tolerance.
 * This file depends only on node:crypto so receiving apps can copy it as it is.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The signature header value for `body` sent at unix time `t` (seconds). */
export function signWebhook(secret: string, body: string | Uint8Array, t: number): string {
  return `t=${t},v1=${hmacHex(secret, body, t)}`;
}

/**
 * True when `header` carries a v1 signature of `body` by `secret` whose timestamp is within
 * `toleranceSec` of `nowSec` (default: the current time). Several v1 entries are allowed (secret
 * rotation); any match suffices. Comparison is constant-time. Never throws on malformed input.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string | Uint8Array,
  toleranceSec: number,
  nowSec: number = Math.floor(Date.now() / 1000),
): boolean {
  let t: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (t === undefined || signatures.length === 0) return false;
  if (!(Math.abs(nowSec - t) <= toleranceSec)) return false;
  const expected = Buffer.from(hmacHex(secret, body, t), 'hex');
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
}

function hmacHex(secret: string, body: string | Uint8Array, t: number): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}
