import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable, COMMON_PASSWORD_COUNT, MAX_PASSWORD_CHARS } from './password-policy.js';

const reason = (p: string, email?: string) => {
  try {
    assertPasswordAcceptable(p, { email });
    return 'ok';
  } catch (e) {
    const err = e as { code: string; details: { reason?: string }; message: string };
    expect(err.message).not.toContain(p);
    return err.code === 'WEAK_PASSWORD' ? err.details.reason : err.code;
  }
};

describe('assertPasswordAcceptable', () => {
  it('ships a list of a few thousand common passwords', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThan(4000);
  });

  it('refuses short, common (also with suffixes), patterned, email-like and over-long passwords', () => {
    expect(reason('short-pass1')).toBe('too_short');
    expect(reason('1qaz2wsx3edc')).toBe('common'); // on the list as it stands, 12 characters
    expect(reason('Password2024!')).toBe('common');
    expect(reason('!!Sunshine12345')).toBe('common');
    expect(reason('aaaaaaaaaaaaaaaa')).toBe('repetitive');
    expect(reason('abcabcabcabc')).toBe('repetitive');
    expect(reason('123456789012')).toBe('repetitive');
    expect(reason('ann.smith@example.org', 'ann.smith@example.org')).toBe('contains_email');
    expect(reason('xx-ann.smith-2024', 'ann.smith@example.org')).toBe('contains_email');
    expect(reason('x'.repeat(10 * 1024))).toBe('PASSWORD_TOO_LONG');
    expect(reason('é'.repeat(MAX_PASSWORD_CHARS + 1))).toBe('PASSWORD_TOO_LONG');
  });

  it('accepts long uncommon passphrases, counting characters not UTF-16 units', () => {
    expect(reason('correct horse battery staple')).toBe('ok');
    expect(reason('tulip-Granite-47-orbit')).toBe('ok');
    expect(reason('🦉'.repeat(3) + 'night-owl-ward')).toBe('ok');
    expect(reason('z'.repeat(1) + 'q7'.repeat(MAX_PASSWORD_CHARS / 2 - 1) + 'w')).toBe('ok');
  });
});
