import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { verifyPassword } from '../../core/crypto.js';
import { createLogger } from '../../core/logger.js';
import { ensureOperator, INITIAL_ADMIN_FILE } from './operator-bootstrap.js';
import { createAuthFixture } from './testing/auth-fixture.js';

function capturedLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { log: createLogger({ level: 'info', role: 'test', destination }), lines };
}

describe('ensureOperator', () => {
  it('generates a password once into a 0600 file and stores only its Argon2id hash', async () => {
    await using f = await createAuthFixture();
    const { log, lines } = capturedLog();
    const first = await ensureOperator({ store: f.store, config: f.config, log });
    const file = join(f.dir, INITIAL_ADMIN_FILE);
    expect(first).toEqual({ email: 'admin', passwordFile: file });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const contents = await readFile(file, 'utf8');
    const password = contents.split('\n')[0]!;
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(contents).toMatch(/change it/i);

    const op = await f.store.system.getOperatorByEmail('admin');
    expect(op?.password_hash).toMatch(/^\$argon2id\$/);
    expect(op?.password_hash).not.toContain(password);
    expect(await verifyPassword(op!.password_hash, password)).toBe(true);
    expect(lines.join('\n')).not.toContain(password);

    const before = await stat(file);
    const second = await ensureOperator({ store: f.store, config: f.config, log });
    expect(second).toEqual({ email: 'admin', passwordFile: file });
    expect(await readFile(file, 'utf8')).toBe(contents);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect((await f.store.system.getOperatorByEmail('admin'))?.password_hash).toBe(op?.password_hash);
  });

  it('uses WARDCLERK_ADMIN_PASSWORD without writing a file, and later keeps the stored one with a warning', async () => {
    const password = 'correct-horse-battery-staple';
    await using f = await createAuthFixture({ env: { WARDCLERK_ADMIN_PASSWORD: password } });
    const { log, lines } = capturedLog();
    expect(await ensureOperator({ store: f.store, config: f.config, log })).toEqual({ email: 'admin', passwordFile: null });
    await expect(stat(join(f.dir, INITIAL_ADMIN_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    const op = await f.store.system.getOperatorByEmail('admin');
    expect(await verifyPassword(op!.password_hash, password)).toBe(true);
    expect(lines.some((l) => l.includes('password_env_ignored'))).toBe(false);

    const changed = 'a-different-password-123';
    const later = loadConfig({ WARDCLERK_DATA_DIR: f.dir, WARDCLERK_ADMIN_PASSWORD: changed });
    await ensureOperator({ store: f.store, config: later, log });
    const after = await f.store.system.getOperatorByEmail('admin');
    expect(after?.password_hash).toBe(op?.password_hash);
    const warning = lines.find((l) => l.includes('password_env_ignored'));
    expect(warning).toBeDefined();
    expect(warning).not.toContain(changed);
    expect(lines.join('\n')).not.toContain(password);
  });
});
