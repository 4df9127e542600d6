/**
 * Password/secret verification that costs the same whether or not the account exists: an unknown
 * account is checked against a dummy Argon2id hash, so response time does not reveal which logins
 * or client ids are real.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../core/crypto.js';

export interface CredentialChecker {
  /** True only when `hash` is non-null and `secret` matches it; always does one Argon2id verify. */
  verify(hash: string | null, secret: string): Promise<boolean>;
}

export function createCredentialChecker(): CredentialChecker {
  let dummy: Promise<string> | null = null;
  return {
    async verify(hash, secret) {
      if (hash !== null) return verifyPassword(hash, secret);
      dummy ??= hashPassword(randomBytes(32).toString('base64url'));
      await verifyPassword(await dummy, secret);
      return false;
    },
  };
}
