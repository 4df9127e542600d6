import { describe, expect, it } from 'vitest';
import { detectUrgent } from './detect-urgent.js';
import { NOT_TRIGGERING, TRIGGERING } from './urgent-phrasings.js';

describe('detectUrgent', () => {
  it('has the table the issue asks for: at least 100 triggering and 60 non-triggering phrasings', () => {
    expect(TRIGGERING.length).toBeGreaterThanOrEqual(100);
    expect(NOT_TRIGGERING.length).toBeGreaterThanOrEqual(60);
    expect(new Set(TRIGGERING.map((t) => t[0])).size).toBe(TRIGGERING.length);
    expect(new Set(NOT_TRIGGERING).size).toBe(NOT_TRIGGERING.length);
  });

  it.each(TRIGGERING)('triggers: %s', (message, reason, signal) => {
    const found = detectUrgent(message);
    expect(found?.reason).toBe(reason);
    expect(found?.signals).toContain(signal);
  });

  it.each(NOT_TRIGGERING.map((m) => [m]))('does not trigger: %s', (message) => {
    expect(detectUrgent(message)).toBeNull();
  });
});
