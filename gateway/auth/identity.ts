/**
 * The one normal form of a login name or client id, applied once before both the attempt limiter
 * and the account lookup, so that " admin", "ADMIN", "ａｄｍｉｎ" and "admin\u200b" are the same
 * account for both (they were different accounts for the limiter but one for login, which let
 * guesses through unthrottled).
 */

// Zero-width and other default-ignorable code points render as nothing but make strings differ.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

function once(value: string): string {
  // NFKC folds compatibility forms (full-width letters, ligatures); upper-then-lower approximates
  // full Unicode case folding (ß → ss, ﬁ → fi), which toLowerCase alone does not do.
  return value.normalize('NFKC').replace(IGNORABLE, '').toUpperCase().toLowerCase().normalize('NFKC').trim();
}

/** Trimmed, NFKC, case-folded, without invisible characters; idempotent. */
export function normalizeIdentity(value: string): string {
  // Folding can expose a new foldable sequence; repeat until nothing changes (two passes suffice in practice).
  let current = value;
  for (let i = 0; i < 4; i++) {
    const next = once(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}

const CLIENT_ID = /^cl_([0-9a-hjkmnp-tv-z]{26})$/;

/**
 * The store key of a client id given its normal form: ids are `cl_` + Crockford base32, which is
 * case-insensitive by definition and stored upper-case. Anything else is returned unchanged (and
 * will not be found).
 */
export function clientIdLookupKey(normalized: string): string {
  const m = CLIENT_ID.exec(normalized);
  return m ? `cl_${m[1]!.toUpperCase()}` : normalized;
}
