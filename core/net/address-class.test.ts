import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyAddress, classifyHostName, normaliseAddress } from './address-class.js';

const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const hex4 = (ip: string) => {
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
};

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.8.9.10', 'loopback'], ['::1', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['[::ffff:7f00:1]', 'loopback'], ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'], ['::ffff:0:7f00:1', 'loopback'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'], ['fd12:3456::1', 'private'], ['fc00::1', 'private'],
    ['169.254.1.1', 'link-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'metadata'], ['::ffff:169.254.169.254', 'metadata'], ['fd00:ec2::254', 'metadata'], ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'], ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'], ['::7f00:1', 'reserved'], ['2001:db8::1', 'reserved'],
    ['8.8.8.8', 'public'], ['172.32.0.1', 'public'], ['1.1.1.1', 'public'], ['2001:4860:4860::8888', 'public'], ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (ip, cls) => expect(classifyAddress(ip)).toBe(cls));

  it.each(['localhost', 'not an ip', '', '127.1', '2130706433', '0x7f.1', '1.2.3.4.5', ':::1'])('%s is not an address', (s) =>
    expect(classifyAddress(s)).toBeNull());

  it('judges an IPv4 address and every IPv6 form that carries it alike', () => {
    fc.assert(fc.property(v4, (ip) => {
      const [hi, lo] = hex4(ip);
      const cls = classifyAddress(ip);
      for (const form of [`::ffff:${ip}`, `::ffff:${hi}:${lo}`, `0:0:0:0:0:ffff:${hi}:${lo}`, `::ffff:0:${ip}`, `64:ff9b::${ip}`, `2002:${hi}:${lo}::1`]) {
        expect(classifyAddress(form), form).toBe(cls);
      }
    }));
  });

  it('puts every address of a blocked range in its class', () => {
    const octet = fc.nat(255);
    fc.assert(fc.property(octet, octet, octet, (b, c, d) => {
      expect(classifyAddress(`127.${b}.${c}.${d}`)).toBe('loopback');
      expect(classifyAddress(`10.${b}.${c}.${d}`)).toBe('private');
      expect(classifyAddress(`192.168.${c}.${d}`)).toBe('private');
      expect(classifyAddress(`172.${16 + (b % 16)}.${c}.${d}`)).toBe('private');
      expect(classifyAddress(`100.${64 + (b % 64)}.${c}.${d}`)).toBe('private');
      expect(classifyAddress(`224.${b}.${c}.${d}`)).toBe('multicast');
      expect(classifyAddress(`0.${b}.${c}.${d}`)).toBe('unspecified');
      if (`169.254.${c}.${d}` !== '169.254.169.254' && `169.254.${c}.${d}` !== '169.254.170.2') {
        expect(classifyAddress(`169.254.${c}.${d}`)).toBe('link-local');
      }
    }));
  });

  it('classifies every IPv6 address the same in any spelling the URL parser accepts', () => {
    fc.assert(fc.property(fc.ipV6(), (ip) => {
      const canonical = new URL(`http://[${ip}]/`).hostname;
      expect(classifyAddress(ip)).not.toBeNull();
      expect(classifyAddress(canonical)).toBe(classifyAddress(ip));
      expect(normaliseAddress(canonical)).toEqual(normaliseAddress(ip));
    }));
  });

  it('never throws, whatever the string', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const cls = classifyAddress(s);
      expect(cls === null || typeof cls === 'string').toBe(true);
    }));
  });
});

describe('classifyHostName', () => {
  it.each([
    ['localhost', 'loopback'], ['LOCALHOST.', 'loopback'], ['api.localhost', 'loopback'], ['ip6-localhost', 'loopback'],
    ['metadata.google.internal', 'metadata'], ['metadata.google.internal.', 'metadata'], ['hooks.example.org', null],
  ])('%s → %s', (name, cls) => expect(classifyHostName(name)).toBe(cls));
});
