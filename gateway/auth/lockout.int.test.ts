/**
 * The lockout bypass and the lock-out-the-owner problem, over real sockets from distinct loopback
 * addresses: 200 guesses spelt " admin", "ADMIN", "ａｄｍｉｎ", "admin\u200b" are one account and
 * one IP for the limiter; the owner's right password from another IP succeeds after the short
 * account block, while the attacking IP stays blocked.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { LockoutEvent } from './attempt-limiter.js';
import { ensureOperator } from './operator-bootstrap.js';
import { createAuthFixture } from './testing/auth-fixture.js';

const ADMIN_PASSWORD = 'operator-password-for-tests';

function login(port: number, from: string, email: string, password: string): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ email, password });
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/auth/login', method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 0) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('login throttling over real sockets', () => {
  // Generous timeouts: each checked guess is a real Argon2id verification, slow on a busy 2-core box.
  it('one account and one IP however the name is spelt; the owner gets in from elsewhere, the attacker stays out', { timeout: 120_000 }, async () => {
    let now = 1_000_000;
    const events: LockoutEvent[] = [];
    await using f = await createAuthFixture({ env: { WARDCLERK_ADMIN_PASSWORD: ADMIN_PASSWORD }, limiter: { now: () => now, onLockout: (e) => events.push(e) } });
    await ensureOperator({ store: f.store, config: f.config, log: createLogger({ level: 'silent', role: 'test' }) });
    const server = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const spellings = [' admin', 'ADMIN', 'ａｄｍｉｎ', 'admin\u200b', 'Admin ', 'admin'];
      const counts = { 401: 0, 429: 0, other: 0 };
      for (let i = 0; i < 200; i++) {
        const r = await login(port, '127.0.0.2', spellings[i % spellings.length]!, `guess-${i}`);
        if (r.status === 401) counts[401]++;
        else if (r.status === 429 && r.retryAfter > 0) counts[429]++;
        else counts.other++;
        now += 5000; // a guess every 5 s, 1,000 s in all
      }
      // Over these 1,000 (simulated) seconds: five guesses, then one more each time a doubling
      // block (1, 2, 4 … 512 s) ran out; the rest were refused before any password work. Counted
      // per spelling, as before, all 200 would have been checked.
      expect(counts.other).toBe(0);
      expect(counts[401]).toBeLessThanOrEqual(16);
      expect(counts[429]).toBeGreaterThanOrEqual(184);
      expect(events.filter((e) => e.scope === 'ip').length).toBeGreaterThan(0);

      // The owner, from another address: at most a short wait, then the right password works.
      const first = await login(port, '127.0.0.3', 'admin', ADMIN_PASSWORD);
      if (first.status === 429) {
        expect(first.retryAfter).toBeLessThanOrEqual(30);
        now += first.retryAfter * 1000;
      } else expect(first.status).toBe(200);
      expect((await login(port, '127.0.0.3', ' Admin', ADMIN_PASSWORD)).status).toBe(200);

      // The attacking address stays blocked even with the right password.
      const attacker = await login(port, '127.0.0.2', 'admin', ADMIN_PASSWORD);
      expect(attacker.status).toBe(429);
      expect(attacker.retryAfter).toBeGreaterThan(30);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('guesses spread over many addresses still count against one account, however spelt', { timeout: 120_000 }, async () => {
    let now = 1_000_000;
    await using f = await createAuthFixture({ env: { WARDCLERK_ADMIN_PASSWORD: ADMIN_PASSWORD }, limiter: { now: () => now } });
    await ensureOperator({ store: f.store, config: f.config, log: createLogger({ level: 'silent', role: 'test' }) });
    const server = serve({ fetch: f.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const spellings = [' admin', 'ADMIN', 'ａｄｍｉｎ', 'admin​', 'Admin ', 'admin'];
      let checked = 0;
      for (let i = 0; i < 60; i++) {
        const r = await login(port, `127.0.1.${i + 1}`, spellings[i % spellings.length]!, `guess-${i}`);
        if (r.status === 401) checked++;
        else expect(r.status).toBe(429);
        now += 100;
      }
      // 6 simulated seconds: five, then one per expired account block (1, 2 s); 30 if each
      // spelling were its own account.
      expect(checked).toBeLessThanOrEqual(8);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
