/**
 * What a new password must be (issue 8): at least 12 characters, at most 256 (checked before any
 * Argon2 work, so a 10 kB "password" costs nothing), not one of the common passwords shipped in
 * common-passwords.txt (also with digits or symbols tacked on: "password1234!"), not a single
 * character or a run like "123456789012", and not the account's own email. Errors are coded and
 * never contain the password.
 */
import { readFileSync } from 'node:fs';
import { WardClerkError } from '../../core/errors.js';

export const MIN_PASSWORD_CHARS = 12;
export const MAX_PASSWORD_CHARS = 256;

const COMMON: ReadonlySet<string> = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#')),
);

/** How many common passwords the policy knows (for tests and docs). */
export const COMMON_PASSWORD_COUNT = COMMON.size;

function weak(reason: 'too_short' | 'common' | 'repetitive' | 'contains_email'): WardClerkError {
  const text = {
    too_short: `The password must have at least ${MIN_PASSWORD_CHARS} characters`,
    common: 'The password is too common; choose another',
    repetitive: 'The password is a repeated or sequential pattern; choose another',
    contains_email: 'The password must not be your email',
  }[reason];
  return new WardClerkError('WEAK_PASSWORD', text, { details: { reason, min_length: MIN_PASSWORD_CHARS } });
}

/** True when the characters are one repeated short unit ("abcabcabcabc") or a run ("123456789012", "abcdefghijkl"). */
function patterned(p: string): boolean {
  for (let unit = 1; unit <= 3; unit++) if (p.length % unit === 0 && p.slice(0, unit).repeat(p.length / unit) === p) return true;
  const codes = [...p].map((c) => c.codePointAt(0)!);
  const steps = codes.slice(1).map((c, i) => c - codes[i]!);
  // Digits wrap around ("…7890123"): a step of ∓9 continues a run of ±1.
  return steps.every((d) => d === 1 || d === -9) || steps.every((d) => d === -1 || d === 9);
}

/** Throws PASSWORD_TOO_LONG or WEAK_PASSWORD (400, details.reason) unless `password` may be used. */
export function assertPasswordAcceptable(password: string, context: { email?: string } = {}): void {
  // Length in code points, so an emoji counts once; the byte bound follows from the character bound.
  const chars = [...password].length;
  if (password.length > MAX_PASSWORD_CHARS * 2 || chars > MAX_PASSWORD_CHARS) {
    throw new WardClerkError('PASSWORD_TOO_LONG', `The password must have at most ${MAX_PASSWORD_CHARS} characters`, { details: { max_length: MAX_PASSWORD_CHARS } });
  }
  if (chars < MIN_PASSWORD_CHARS) throw weak('too_short');
  const lower = password.normalize('NFKC').toLowerCase();
  if (patterned(lower)) throw weak('repetitive');
  // The common word with what people append to meet rules stripped ("Password2024!" → "password", "!!sunshine1" → "sunshine").
  const stem = lower.replace(/[\d\W_]+$/u, '');
  const core = stem.replace(/^[\d\W_]+/u, '');
  if (COMMON.has(lower) || COMMON.has(stem) || COMMON.has(core)) throw weak('common');
  const email = context.email?.trim().toLowerCase();
  if (email && (lower.includes(email) || (email.split('@')[0]!.length >= 4 && lower.includes(email.split('@')[0]!)))) throw weak('contains_email');
}
