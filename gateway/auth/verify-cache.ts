/**
 * Wraps a TokenService so a token verified once is not verified again until it expires: an
 * Ed25519 signature check costs more CPU than the rest of a small API request. Only successful
 * verifications are cached, keyed by the exact token string, bounded in size (oldest evicted),
 * and dropped at the token's `exp`.
 */
import type { Principal } from '../http/app-env.js';
import type { TokenService } from './token-service.js';

export interface VerifyCacheOptions {
  maxEntries?: number;
  now?: () => number;
}

function expiryMs(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

export function withVerifyCache(tokens: TokenService, options: VerifyCacheOptions = {}): TokenService {
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { principal: Principal; expiresAt: number }>();
  return {
    ...tokens,
    async verify(token) {
      const hit = cache.get(token);
      if (hit) {
        if (hit.expiresAt > now()) return hit.principal;
        cache.delete(token);
      }
      const principal = await tokens.verify(token);
      const expiresAt = expiryMs(token);
      if (expiresAt !== null && expiresAt > now()) {
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(token, { principal, expiresAt });
      }
      return principal;
    },
  };
}
