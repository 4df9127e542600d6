/**
 * The address policy at subscription time: a URL that can never be delivered to (not http(s),
 * credentials in it, a forbidden IP literal or localhost/metadata name, or a name that resolves to a
 * forbidden address now) is refused with WEBHOOK_TARGET_FORBIDDEN (422). A name that does not
 * resolve yet is accepted: the worker checks again, with a fresh lookup, at every attempt.
 */
import { WardClerkError } from '../../core/errors.js';
import { resolveTarget, systemResolveAll, type ResolveAll } from '../../core/net/resolve-target.js';
import type { AllowList } from '../../core/net/target-policy.js';

/** Longest a subscription request waits for DNS before accepting the name unchecked (checked at delivery). */
const LOOKUP_BUDGET_MS = 2000;
/**
 * Lookups in flight at once. getaddrinfo runs on libuv's small thread pool, which LevelDB shares:
 * a flood of slow names must not stall the store. Beyond this the name is left to the worker's check.
 */
const MAX_LOOKUPS = 2;
let lookups = 0;

/** Throws WEBHOOK_TARGET_FORBIDDEN for a target the policy refuses; the URL itself is never echoed. */
export async function assertTargetAllowed(allow: AllowList, url: string, resolveAll: ResolveAll = systemResolveAll): Promise<void> {
  const counted: ResolveAll = async (name) => {
    if (lookups >= MAX_LOOKUPS) return []; // too many in flight: the worker checks this name at delivery
    lookups++;
    try {
      return await resolveAll(name);
    } finally {
      lookups--;
    }
  };
  await check(allow, url, counted);
}

async function check(allow: AllowList, url: string, resolveAll: ResolveAll): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), LOOKUP_BUDGET_MS);
  });
  const verdict = await Promise.race([resolveTarget(allow, url, resolveAll), budget]).finally(() => clearTimeout(timer));
  if (!verdict || verdict.ok || verdict.problem === 'unresolvable') return;
  const reason = verdict.problem;
  const message =
    reason === 'forbidden_address'
      ? `Webhook targets on ${verdict.cls ?? 'non-public'} addresses are refused unless the operator allow-lists them (WARDCLERK_WEBHOOK_ALLOW)`
      : reason === 'credentials_in_url'
        ? 'Webhook URLs must not carry a user name or password'
        : 'Webhook URLs must be http or https URLs';
  throw new WardClerkError('WEBHOOK_TARGET_FORBIDDEN', message, { details: { reason, ...(verdict.cls ? { address_class: verdict.cls } : {}) } });
}
