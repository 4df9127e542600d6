/**
 * Which outbound targets (webhook URLs) may be reached. Public addresses always; cloud metadata
 * addresses and names never; everything else (loopback, private, link-local, CGNAT, unique-local,
 * multicast, unspecified, reserved) only where the operator's allow-list names it: a CIDR or IP
 * that contains the address, or a host name (`receiver.hospital.local`, `*.hospital.local`) that
 * the URL uses. Pure: DNS resolution is in resolve-target.ts.
 */
import { BlockList } from 'node:net';
import { classifyAddress, classifyHostName, normaliseAddress, type AddressClass } from './address-class.js';

/** A parsed allow-list. Build it once with {@link parseAllowList}. */
export interface AllowList {
  readonly networks: BlockList;
  /** Exact host names (lower case, no trailing dot). */
  readonly hosts: ReadonlySet<string>;
  /** Suffixes from `*.example.org` entries, stored as `.example.org`. */
  readonly suffixes: readonly string[];
}

const HOST_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Why an allow-list entry is not understood, or null when it is fine. */
export function allowEntryProblem(entry: string): string | null {
  const [net, prefixText, ...rest] = entry.split('/');
  if (rest.length > 0 || net === undefined) return 'expected an IP, a CIDR or a host name';
  const ip = normaliseAddress(net);
  if (prefixText !== undefined) {
    if (!ip || !/^\d{1,3}$/.test(prefixText)) return 'expected a CIDR such as 10.20.0.0/16';
    const max = ip.family === 4 ? 32 : 128;
    if (Number(prefixText) > max) return `prefix longer than ${max}`;
    return null;
  }
  if (ip) return null;
  return HOST_RE.test(entry.toLowerCase().replace(/\.$/, '')) ? null : 'expected an IP, a CIDR or a host name';
}

/** Parses allow-list entries (IPs, CIDRs, host names, `*.suffix` names). Throws on an entry it cannot read. */
export function parseAllowList(entries: readonly string[]): AllowList {
  const networks = new BlockList();
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const problem = allowEntryProblem(entry);
    if (problem) throw new Error(`allow-list entry ${JSON.stringify(entry)}: ${problem}`);
    const [net = '', prefixText] = entry.split('/');
    const ip = normaliseAddress(net);
    if (ip) {
      const type = ip.family === 4 ? 'ipv4' : 'ipv6';
      const prefix = prefixText === undefined ? (ip.family === 4 ? 32 : 128) : Number(prefixText);
      // A mapped entry (::ffff:10.0.0.0/104) is normalised to IPv4: keep its prefix meaningful.
      const adjusted = ip.family === 4 && net.includes(':') && prefixText !== undefined ? Math.max(0, prefix - 96) : prefix;
      networks.addSubnet(ip.address, adjusted, type);
      continue;
    }
    const host = entry.toLowerCase().replace(/\.$/, '');
    if (host.startsWith('*.')) suffixes.push(host.slice(1));
    else hosts.add(host);
  }
  return { networks, hosts, suffixes };
}

/** An allow-list that allows nothing beyond public addresses. */
export const EMPTY_ALLOW_LIST: AllowList = parseAllowList([]);

/** True when `hostName` (a URL host, not an IP) is named by the allow-list. */
export function hostAllowed(allow: AllowList, hostName: string): boolean {
  const host = hostName.toLowerCase().replace(/\.+$/, '');
  return allow.hosts.has(host) || allow.suffixes.some((s) => host.endsWith(s));
}

/** The verdict on one address: allowed, or refused with the class that refused it. */
export type AddressVerdict = { ok: true; cls: AddressClass } | { ok: false; cls: AddressClass };

/**
 * Judges one resolved (or literal) address. `hostName` is the URL's host name when the address came
 * from resolving it: an allow-listed name may resolve to private addresses. Metadata: never.
 */
export function judgeAddress(allow: AllowList, address: string, hostName?: string): AddressVerdict {
  const n = normaliseAddress(address);
  const cls = n ? (classifyAddress(n.address) ?? 'reserved') : 'reserved';
  if (!n || cls === 'metadata') return { ok: false, cls };
  if (cls === 'public') return { ok: true, cls };
  if (allow.networks.check(n.address, n.family === 4 ? 'ipv4' : 'ipv6')) return { ok: true, cls };
  if (hostName !== undefined && hostAllowed(allow, hostName)) return { ok: true, cls };
  return { ok: false, cls };
}

/** Why a URL is refused before any lookup. */
export type UrlProblem = 'invalid_url' | 'unsupported_scheme' | 'credentials_in_url' | 'forbidden_address';

/** A URL checked for shape; `ip` is set for IP-literal hosts (already judged), `name` otherwise. */
export type CheckedUrl =
  | { ok: true; url: URL; ip: string; name: null }
  | { ok: true; url: URL; ip: null; name: string }
  | { ok: false; problem: UrlProblem; cls?: AddressClass };

/**
 * Checks a target URL without DNS: http(s) only, no user:password, and, for IP literals (decimal,
 * octal and hex forms are normalised by the WHATWG URL parser first) and localhost/metadata names,
 * the address policy. Names that need a lookup come back as `name` for resolve-target.ts.
 */
export function checkTargetUrl(allow: AllowList, raw: string): CheckedUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'invalid_url' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'unsupported_scheme' };
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'credentials_in_url' };
  const host = url.hostname;
  if (!host) return { ok: false, problem: 'invalid_url' };
  const literal = normaliseAddress(host);
  if (literal) {
    const v = judgeAddress(allow, host);
    return v.ok ? { ok: true, url, ip: literal.address, name: null } : { ok: false, problem: 'forbidden_address', cls: v.cls };
  }
  const byName = classifyHostName(host);
  if (byName === 'metadata') return { ok: false, problem: 'forbidden_address', cls: byName };
  if (byName && !hostAllowed(allow, host)) return { ok: false, problem: 'forbidden_address', cls: byName };
  return { ok: true, url, ip: null, name: host.replace(/\.+$/, '') };
}
