/**
 * Resolves a checked target URL to the one address a request will connect to. Every address the
 * name resolves to must pass the policy (one forbidden address refuses the whole name, so a
 * resolver cannot mix a public and an internal answer); the caller then connects to the returned
 * address itself, so a second lookup (DNS rebinding) cannot swap it.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { AddressClass } from './address-class.js';
import { checkTargetUrl, judgeAddress, type AllowList, type UrlProblem } from './target-policy.js';

/** Resolves a name to all its addresses (injectable for tests). */
export type ResolveAll = (name: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolveAll: ResolveAll = (name) => dnsLookup(name, { all: true, verbatim: true });

export type ResolvedTarget =
  | { ok: true; url: URL; address: string; family: 4 | 6 }
  | { ok: false; problem: UrlProblem | 'unresolvable'; cls?: AddressClass };

/** Checks the URL, resolves its host and judges every address. Never throws. */
export async function resolveTarget(allow: AllowList, rawUrl: string, resolveAll: ResolveAll = systemResolveAll): Promise<ResolvedTarget> {
  const checked = checkTargetUrl(allow, rawUrl);
  if (!checked.ok) return checked;
  if (checked.ip !== null) {
    const family = checked.ip.includes(':') ? 6 : 4;
    // Connect to the URL's own literal (a mapped form is reached as written, not as its IPv4 form).
    const literal = checked.url.hostname.replace(/^\[|\]$/g, '');
    return { ok: true, url: checked.url, address: literal, family: literal.includes(':') ? 6 : family };
  }
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = await resolveAll(checked.name);
  } catch {
    return { ok: false, problem: 'unresolvable' };
  }
  if (addresses.length === 0) return { ok: false, problem: 'unresolvable' };
  for (const a of addresses) {
    const v = judgeAddress(allow, a.address, checked.name);
    if (!v.ok) return { ok: false, problem: 'forbidden_address', cls: v.cls };
  }
  const first = addresses[0]!;
  return { ok: true, url: checked.url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
