/**
 * What kind of network an IP address belongs to, for deciding whether an outbound request (a
 * webhook) may reach it. Pure: no DNS, no I/O. IPv4-mapped (::ffff:a.b.c.d), IPv4-translated
 * (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) forms are judged by the IPv4
 * address they carry, so a mapped loopback cannot pass as a public IPv6 address.
 */
import { BlockList, isIP } from 'node:net';

/** Address classes; only `public` is reachable without an operator allow-list entry. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** A parsed address: the IPv4 form where the IPv6 one only carries an IPv4 address. */
export interface NormalAddress {
  family: 4 | 6;
  address: string;
}

type Rule = readonly [AddressClass, string, number];

// Order matters: the first matching rule wins (metadata before link-local and private).
const V4_RULES: readonly Rule[] = [
  ['metadata', '169.254.169.254', 32], // AWS, GCP, Azure, OpenStack instance metadata
  ['metadata', '169.254.170.2', 32], // AWS ECS task metadata
  ['metadata', '100.100.100.200', 32], // Alibaba Cloud metadata
  ['unspecified', '0.0.0.0', 8],
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['private', '100.64.0.0', 10], // carrier-grade NAT (shared address space)
  ['multicast', '224.0.0.0', 4],
  ['reserved', '240.0.0.0', 4], // incl. 255.255.255.255 broadcast
  ['reserved', '192.0.0.0', 24],
  ['reserved', '192.0.2.0', 24],
  ['reserved', '198.18.0.0', 15],
  ['reserved', '198.51.100.0', 24],
  ['reserved', '203.0.113.0', 24],
];

const V6_RULES: readonly Rule[] = [
  ['metadata', 'fd00:ec2::254', 128], // AWS metadata over IPv6
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['reserved', '::', 96], // IPv4-compatible (deprecated)
  ['link-local', 'fe80::', 10],
  ['private', 'fc00::', 7], // unique local
  ['reserved', 'fec0::', 10], // site-local (deprecated)
  ['multicast', 'ff00::', 8],
  ['reserved', '100::', 64], // discard-only
  ['reserved', '2001:db8::', 32], // documentation
];

function compile(rules: readonly Rule[], type: 'ipv4' | 'ipv6'): Array<[AddressClass, BlockList]> {
  return rules.map(([cls, net, prefix]) => {
    const b = new BlockList();
    b.addSubnet(net, prefix, type);
    return [cls, b];
  });
}
const V4 = compile(V4_RULES, 'ipv4');
const V6 = compile(V6_RULES, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address (no zone id). */
function groups6(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

const v4From = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * Parses an IP address (IPv6 may be bracketed and carry a zone id) into its normal form, or null
 * when it is not an IP address. IPv6 forms that only carry an IPv4 address become that IPv4 address.
 */
export function normaliseAddress(input: string): NormalAddress | null {
  const bare = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  const ip = bare.split('%')[0] ?? '';
  const version = isIP(ip);
  if (version === 4) return { family: 4, address: ip };
  if (version !== 6) return null;
  const g = groups6(ip.toLowerCase());
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const [g6 = 0, g7 = 0] = [g[6], g[7]];
  if (zeros(5) && g[5] === 0xffff) return { family: 4, address: v4From(g6, g7) }; // ::ffff:a.b.c.d
  if (zeros(4) && g[4] === 0xffff && g[5] === 0) return { family: 4, address: v4From(g6, g7) }; // ::ffff:0:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return { family: 4, address: v4From(g6, g7) };
  if (g[0] === 0x2002) return { family: 4, address: v4From(g[1] ?? 0, g[2] ?? 0) };
  return { family: 6, address: g.map((x) => x.toString(16)).join(':') };
}

/** The class of an IP address, or null when `input` is not an IP address. */
export function classifyAddress(input: string): AddressClass | null {
  const n = normaliseAddress(input);
  if (!n) return null;
  const rules = n.family === 4 ? V4 : V6;
  const type = n.family === 4 ? 'ipv4' : 'ipv6';
  for (const [cls, list] of rules) if (list.check(n.address, type)) return cls;
  return 'public';
}

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback', 'loopback']);
const METADATA_NAMES = new Set([
  'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal',
]);

/**
 * The class a host name implies before any DNS lookup: `loopback` for localhost names, `metadata`
 * for cloud metadata names, null for any other name (it must be resolved and its addresses judged).
 */
export function classifyHostName(name: string): AddressClass | null {
  const host = name.toLowerCase().replace(/\.+$/, '');
  if (LOOPBACK_NAMES.has(host) || host.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.has(host)) return 'metadata';
  return null;
}
