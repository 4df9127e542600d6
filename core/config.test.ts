/**
 * Config parsing: the item retry settings are read within their bounds, and a value outside them
 * stops the start with CONFIG_INVALID naming the variable and the range it accepts.
 */
import { describe, expect, it } from 'vitest';
import { ITEM_ACK_WAIT_MS_MAX, ITEM_MAX_DELIVER_MAX, loadConfig } from './config.js';
import { WardClerkError } from './errors.js';

const base = { WARDCLERK_DATA_DIR: '/tmp/wardclerk-unused' };

/** The error loadConfig throws for `env`; fails the test when it throws none. */
function configError(env: Record<string, string>): WardClerkError {
  try {
    loadConfig({ ...base, ...env });
  } catch (e) {
    if (e instanceof WardClerkError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('item retry settings', () => {
  it('defaults to 5 attempts and a 30 s ack wait; takes values up to the bounds', () => {
    expect(loadConfig(base)).toMatchObject({ itemMaxDeliver: 5, itemAckWaitMs: 30_000 });
    const max = loadConfig({ ...base, WARDCLERK_ITEM_MAX_DELIVER: String(ITEM_MAX_DELIVER_MAX), WARDCLERK_ITEM_ACK_WAIT_MS: String(ITEM_ACK_WAIT_MS_MAX) });
    expect(max).toMatchObject({ itemMaxDeliver: ITEM_MAX_DELIVER_MAX, itemAckWaitMs: ITEM_ACK_WAIT_MS_MAX });
    expect(loadConfig({ ...base, WARDCLERK_ITEM_MAX_DELIVER: '50', WARDCLERK_ITEM_ACK_WAIT_MS: '1000' })).toMatchObject({ itemMaxDeliver: 50, itemAckWaitMs: 1000 });
  });

  const bad: Array<[string, string, string]> = [
    ['WARDCLERK_ITEM_MAX_DELIVER', String(ITEM_MAX_DELIVER_MAX + 1), `1–${ITEM_MAX_DELIVER_MAX}`],
    ['WARDCLERK_ITEM_MAX_DELIVER', '0', `1–${ITEM_MAX_DELIVER_MAX}`],
    ['WARDCLERK_ITEM_MAX_DELIVER', '2.5', `1–${ITEM_MAX_DELIVER_MAX}`],
    ['WARDCLERK_ITEM_MAX_DELIVER', '1e3', `1–${ITEM_MAX_DELIVER_MAX}`],
    ['WARDCLERK_ITEM_ACK_WAIT_MS', String(ITEM_ACK_WAIT_MS_MAX + 1), `500–${ITEM_ACK_WAIT_MS_MAX}`],
    ['WARDCLERK_ITEM_ACK_WAIT_MS', '499', `500–${ITEM_ACK_WAIT_MS_MAX}`],
  ];
  for (const [variable, value, range] of bad) {
    it(`${variable}=${value} is CONFIG_INVALID naming the variable and ${range}`, () => {
      const e = configError({ [variable]: value });
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.details).toEqual({ variable });
      expect(e.message).toContain(variable);
      expect(e.message).toContain(range);
    });
  }
});
