import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowEntryProblem, checkTargetUrl, EMPTY_ALLOW_LIST, judgeAddress, parseAllowList } from './target-policy.js';
import { resolveTarget, type ResolveAll } from './resolve-target.js';

const v4int = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

describe('checkTargetUrl (default policy)', () => {
  it.each([
    ['http://127.0.0.1:8080/x', 'forbidden_address'], ['http://2130706433/', 'forbidden_address'], ['http://0x7f.1/', 'forbidden_address'],
    ['http://017700000001/', 'forbidden_address'], ['http://127.1/', 'forbidden_address'], ['http://[::1]/', 'forbidden_address'],
    ['http://[::ffff:127.0.0.1]/', 'forbidden_address'], ['http://[::ffff:a9fe:a9fe]/', 'forbidden_address'],
    ['http://localhost:3000/', 'forbidden_address'], ['http://LocalHost./', 'forbidden_address'], ['http://x.localhost/', 'forbidden_address'],
    ['http://169.254.169.254/latest/meta-data', 'forbidden_address'], ['http://metadata.google.internal/', 'forbidden_address'],
    ['http://0.0.0.0/', 'forbidden_address'], ['http://[::]/', 'forbidden_address'], ['http://10.1.2.3/', 'forbidden_address'],
    ['http://192.168.0.10/', 'forbidden_address'], ['http://[fd00::1]/', 'forbidden_address'], ['http://100.64.1.1/', 'forbidden_address'],
    ['http://224.0.0.1/', 'forbidden_address'], ['http://[fe80::1]/', 'forbidden_address'],
    ['ftp://hooks.example.org/', 'unsupported_scheme'], ['file:///etc/passwd', 'unsupported_scheme'], ['gopher://x/', 'unsupported_scheme'],
    ['https://user:pw@hooks.example.org/', 'credentials_in_url'], ['https://user@hooks.example.org/', 'credentials_in_url'], ['not a url', 'invalid_url'],
  ])('refuses %s (%s)', (url, problem) => expect(checkTargetUrl(EMPTY_ALLOW_LIST, url)).toMatchObject({ ok: false, problem }));

  it.each(['https://hooks.example.org/in', 'http://8.8.8.8/', 'https://[2001:4860:4860::8888]/'])('accepts %s', (url) =>
    expect(checkTargetUrl(EMPTY_ALLOW_LIST, url).ok).toBe(true));

  it('judges decimal, hex and octal IPv4 literals exactly like the dotted address', () => {
    fc.assert(fc.property(v4int, (n) => {
      const expected = checkTargetUrl(EMPTY_ALLOW_LIST, `http://${dotted(n)}/`).ok;
      for (const host of [String(n), `0x${n.toString(16)}`, `0${n.toString(8)}`]) {
        expect(checkTargetUrl(EMPTY_ALLOW_LIST, `http://${host}/`).ok, host).toBe(expected);
      }
    }));
  });

  it('never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      expect(typeof checkTargetUrl(EMPTY_ALLOW_LIST, s).ok).toBe('boolean');
      expect(typeof checkTargetUrl(EMPTY_ALLOW_LIST, `http://${s}/`).ok).toBe('boolean');
    }));
  });
});

describe('allow-list', () => {
  const allow = parseAllowList(['127.0.0.1', '10.20.0.0/16', 'fd00:1::/32', 'hooks.hospital.local', '*.ward.local']);

  it('lets an operator allow named private ranges and hosts, but never metadata', () => {
    expect(checkTargetUrl(allow, 'http://127.0.0.1:9/').ok).toBe(true);
    expect(checkTargetUrl(allow, 'http://[::ffff:127.0.0.1]:9/').ok).toBe(true);
    expect(checkTargetUrl(allow, 'http://127.0.0.2/').ok).toBe(false);
    expect(checkTargetUrl(allow, 'http://10.20.3.4/').ok).toBe(true);
    expect(checkTargetUrl(allow, 'http://10.21.3.4/').ok).toBe(false);
    expect(checkTargetUrl(allow, 'http://[fd00:1::5]/').ok).toBe(true);
    expect(judgeAddress(allow, '192.168.1.5', 'hooks.hospital.local').ok).toBe(true);
    expect(judgeAddress(allow, '192.168.1.5', 'a.ward.local').ok).toBe(true);
    expect(judgeAddress(allow, '192.168.1.5', 'ward.local.evil.org').ok).toBe(false);
    const everything = parseAllowList(['0.0.0.0/0', '::/0', '*.internal', 'metadata.google.internal']);
    expect(judgeAddress(everything, '169.254.169.254').ok).toBe(false);
    expect(judgeAddress(everything, 'fd00:ec2::254').ok).toBe(false);
    expect(checkTargetUrl(everything, 'http://metadata.google.internal/').ok).toBe(false);
  });

  it('allows exactly what a CIDR contains', () => {
    fc.assert(fc.property(v4int, fc.integer({ min: 8, max: 32 }), v4int, (net, prefix, probe) => {
      const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
      const list = parseAllowList([`${dotted((net & mask) >>> 0)}/${prefix}`]);
      const inside = ((probe & mask) >>> 0) === ((net & mask) >>> 0);
      const v = judgeAddress(list, dotted(probe));
      if (v.cls === 'public') expect(v.ok).toBe(true);
      else if (v.cls === 'metadata') expect(v.ok).toBe(false);
      else expect(v.ok).toBe(inside);
    }));
  });

  it.each(['10.0.0.0/33', '10.0.0.0/x', 'a b', 'http://x', '1.2.3.4/8/9', '::1/129'])('rejects the entry %s', (e) =>
    expect(allowEntryProblem(e)).not.toBeNull());
  it.each(['10.0.0.0/8', '::1', 'fd00::/8', 'hooks.hospital.local', '*.ward.local', 'localhost'])('accepts the entry %s', (e) =>
    expect(allowEntryProblem(e)).toBeNull());
});

describe('resolveTarget', () => {
  const fixed = (answers: Record<string, string[]>): ResolveAll => async (name) => {
    const a = answers[name];
    if (!a) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const dns = fixed({ 'pub.example': ['93.184.216.34'], 'mixed.example': ['93.184.216.34', '10.0.0.5'], 'rebind.example': ['::ffff:127.0.0.1'] });

  it('refuses a name when any of its addresses is forbidden, and returns the address to connect to', async () => {
    expect(await resolveTarget(EMPTY_ALLOW_LIST, 'https://pub.example/x', dns)).toMatchObject({ ok: true, address: '93.184.216.34', family: 4 });
    expect(await resolveTarget(EMPTY_ALLOW_LIST, 'https://mixed.example/x', dns)).toMatchObject({ ok: false, problem: 'forbidden_address', cls: 'private' });
    expect(await resolveTarget(EMPTY_ALLOW_LIST, 'https://rebind.example/x', dns)).toMatchObject({ ok: false, cls: 'loopback' });
    expect(await resolveTarget(EMPTY_ALLOW_LIST, 'https://nowhere.example/x', dns)).toMatchObject({ ok: false, problem: 'unresolvable' });
    expect(await resolveTarget(parseAllowList(['10.0.0.0/8']), 'https://mixed.example/x', dns)).toMatchObject({ ok: true });
  });

  it('checks literals without a lookup', async () => {
    const never: ResolveAll = async () => { throw new Error('no lookup expected'); };
    expect(await resolveTarget(EMPTY_ALLOW_LIST, 'http://0x7f.1/', never)).toMatchObject({ ok: false, cls: 'loopback' });
    expect(await resolveTarget(parseAllowList(['127.0.0.1']), 'http://127.0.0.1:9/', never)).toMatchObject({ ok: true, address: '127.0.0.1' });
  });
});
