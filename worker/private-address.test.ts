import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isPrivateAddress } from './private-address.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fd12:3456::1', '::ffff:127.0.0.1', '0:0:0:0:0:ffff:7f00:1', '[::1]', 'localhost', 'not an ip',
  ])('refuses %s', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('allows %s', (a) =>
    expect(isPrivateAddress(a)).toBe(false));

  it('treats an IPv4 address and its IPv4-mapped IPv6 form alike', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => isPrivateAddress(ip) === isPrivateAddress(`::ffff:${ip}`)));
  });
});
