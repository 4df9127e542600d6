/**
 * Which IP addresses a webhook must not reach when private targets are disallowed: loopback,
 * RFC 1918 and other non-public ranges (link-local incl. cloud metadata, CGNAT, unique-local IPv6,
 * multicast, unspecified), and IPv4-mapped IPv6 forms of them.
 */
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** True for an address that is not on the public internet. Non-IP strings count as private (refuse what we cannot classify). */
export function isPrivateAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const ip = bare.split('%')[0] ?? ''; // drop an IPv6 zone id (fe80::1%eth0)
  const version = isIP(ip);
  if (version === 4) return blocked.check(ip, 'ipv4');
  if (version !== 6) return true;
  // The URL parser canonicalises IPv6 (compressed, lower-case hex), so IPv4-mapped forms such as
  // ::ffff:127.0.0.1 and 0:0:0:0:0:ffff:7f00:1 all become ::ffff:7f00:1.
  const canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped?.[1] && mapped[2]) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return blocked.check(canonical, 'ipv6');
}
