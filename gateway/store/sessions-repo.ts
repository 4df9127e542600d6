/**
 * Sign-in sessions (issue 8). A session is one refresh-token family: each refresh hands out the
 * next token of the family and retires the one presented. The refresh token is
 * `<tenant id>.<32 random bytes, base64url>`; only its SHA-256 is stored (`refreshTokens`: digest →
 * session and generation), so the table cannot be replayed. A retired token presented again means
 * it was copied: the whole family is revoked (RFC 6819 §5.2.2.3, OAuth 2.0 Security BCP §4.14).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { newId } from '../../core/crypto.js';
import type { RawOp } from './group-commit.js';
import { TENANT_ID_RE } from './layout.js';
import { tenantScope, type TenantScope } from './patient-seal.js';
import type { StoreContext } from './store-context.js';

const EMPTY = new Uint8Array(0);
const IsoDateTime = z.iso.datetime({ offset: true });
export const SESSION_ID_RE = /^ses_[0-9A-HJKMNP-TV-Z]{26}$/;
const TOKEN_RE = /^(tn_[0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;

export const REVOKE_REASONS = ['logout', 'reuse', 'password_change', 'password_reset', 'disabled'] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export const SessionRecordSchema = z.object({
  session_id: z.string().regex(SESSION_ID_RE),
  tenant_id: z.string(),
  user_id: z.string(),
  created_at: IsoDateTime,
  /** The family's absolute end: refreshing does not extend it (sign in again after it). */
  expires_at: IsoDateTime,
  refreshed_at: IsoDateTime,
  /** Generation of the one refresh token that may be used next. */
  generation: z.number().int().min(1),
  status: z.enum(['active', 'revoked']),
  revoked_reason: z.enum(REVOKE_REASONS).nullable(),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

const PointerSchema = z.object({ session_id: z.string(), generation: z.number().int().min(1) });

/** What a refresh attempt found. Only `ok` hands out a new token. */
export type RotateResult =
  | { ok: true; session: SessionRecord; refreshToken: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' | 'reused'; session: SessionRecord | null };

/** A session that stopped being usable in this process: revoked, or deleted by the sweep once expired. */
export interface SessionEnded {
  tenantId: string;
  sessionId: string;
  userId: string;
  reason: RevokeReason | 'expired';
}

/** What one sweep of a tenant deleted; `more` when it stopped at its limit with expired sessions left. */
export interface SweepResult {
  sessions: number;
  refreshTokens: number;
  more: boolean;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** The tenant a refresh token belongs to, or null when it is not one of ours. */
export function refreshTokenTenant(token: string): string | null {
  const m = TOKEN_RE.exec(token);
  return m && TENANT_ID_RE.test(m[1]!) ? m[1]! : null;
}

export class SessionsRepo {
  readonly #ctx: StoreContext;
  readonly #ended = new Set<(e: SessionEnded) => void>();

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * Calls `listener` (synchronously, after the write is durable) whenever a session of this store
   * is revoked or swept, so in-memory views of sessions (the gateway's session gate, open
   * WebSockets) drop it at once. Returns the unsubscribe.
   */
  onEnded(listener: (e: SessionEnded) => void): () => void {
    this.#ended.add(listener);
    return () => this.#ended.delete(listener);
  }

  #emit(s: SessionRecord, reason: SessionEnded['reason']): void {
    for (const l of this.#ended) l({ tenantId: s.tenant_id, sessionId: s.session_id, userId: s.user_id, reason });
  }

  #tokenOp(scope: TenantScope, session: SessionRecord): { token: string; op: RawOp } {
    const token = `${session.tenant_id}.${randomBytes(32).toString('base64url')}`;
    const op = this.#ctx.vault.put(scope.tables.refreshTokens, digest(token), { session_id: session.session_id, generation: session.generation }, { kind: 'tenant', keys: scope.keys });
    return { token, op };
  }

  #put(scope: TenantScope, s: SessionRecord): RawOp {
    return this.#ctx.vault.put(scope.tables.sessions, s.session_id, SessionRecordSchema.parse(s), { kind: 'tenant', keys: scope.keys });
  }

  /** Starts a session for the user, durably; returns it with its first refresh token. */
  async create(tenantId: string, userId: string, options: { now: Date; ttlSeconds: number }): Promise<{ session: SessionRecord; refreshToken: string }> {
    const scope = await tenantScope(this.#ctx, tenantId);
    const now = options.now.toISOString();
    const session: SessionRecord = {
      session_id: newId('ses'), tenant_id: tenantId, user_id: userId, created_at: now, refreshed_at: now,
      expires_at: new Date(options.now.getTime() + options.ttlSeconds * 1000).toISOString(), generation: 1, status: 'active', revoked_reason: null,
    };
    const { token, op } = this.#tokenOp(scope, session);
    await this.#ctx.writer.write([
      this.#put(scope, session),
      { type: 'put', key: scope.tables.sessionsByUser.fullKey(`${userId}:${session.session_id}`), value: EMPTY },
      op,
    ]);
    return { session, refreshToken: token };
  }

  /** One session of the tenant, or null. */
  async get(tenantId: string, sessionId: string): Promise<SessionRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !SESSION_ID_RE.test(sessionId)) return null;
    return this.#ctx.vault.get(tables.sessions, sessionId, tenantId, SessionRecordSchema);
  }

  /** True when the session exists, is active and has not reached its end. */
  async isLive(tenantId: string, sessionId: string, now: Date): Promise<boolean> {
    const s = await this.get(tenantId, sessionId);
    return s !== null && s.status === 'active' && Date.parse(s.expires_at) > now.getTime();
  }

  /**
   * Exchanges a refresh token for the next one of its family. `guard` runs (under the session's
   * lock) before anything changes and may throw to refuse (e.g. a disabled account). A retired
   * token revokes the family durably and answers `reused`.
   */
  async rotate(token: string, options: { now: Date; guard?: (s: SessionRecord) => Promise<void> }): Promise<RotateResult> {
    const tenantId = refreshTokenTenant(token);
    const tables = tenantId ? this.#ctx.layout.tenant(tenantId) : null;
    if (!tenantId || !tables || !(await this.#ctx.keyring.tenant(tenantId))) return { ok: false, reason: 'invalid', session: null };
    const ptr = await this.#ctx.vault.get(tables.refreshTokens, digest(token), tenantId, PointerSchema);
    if (!ptr) return { ok: false, reason: 'invalid', session: null };
    return this.#ctx.locks.run(`session:${tenantId}:${ptr.session_id}`, async () => {
      const scope = await tenantScope(this.#ctx, tenantId);
      const s = await this.get(tenantId, ptr.session_id);
      if (!s) return { ok: false, reason: 'invalid', session: null };
      if (s.status === 'revoked') return { ok: false, reason: 'revoked', session: s };
      if (ptr.generation !== s.generation) {
        const revoked: SessionRecord = { ...s, status: 'revoked', revoked_reason: 'reuse' };
        await this.#ctx.writer.write([this.#put(scope, revoked)]);
        this.#emit(revoked, 'reuse');
        return { ok: false, reason: 'reused', session: revoked };
      }
      if (Date.parse(s.expires_at) <= options.now.getTime()) return { ok: false, reason: 'expired', session: s };
      await options.guard?.(s);
      const next: SessionRecord = { ...s, generation: s.generation + 1, refreshed_at: options.now.toISOString() };
      const { token: fresh, op } = this.#tokenOp(scope, next);
      await this.#ctx.writer.write([this.#put(scope, next), op]);
      return { ok: true, session: next, refreshToken: fresh };
    });
  }

  /** Revokes one session (idempotent); null when there is no such session. */
  async revoke(tenantId: string, sessionId: string, reason: RevokeReason): Promise<SessionRecord | null> {
    return this.#ctx.locks.run(`session:${tenantId}:${sessionId}`, async () => {
      const s = await this.get(tenantId, sessionId);
      if (!s || s.status === 'revoked') return s;
      const scope = await tenantScope(this.#ctx, tenantId);
      const revoked: SessionRecord = { ...s, status: 'revoked', revoked_reason: reason };
      await this.#ctx.writer.write([this.#put(scope, revoked)]);
      this.#emit(revoked, reason);
      return revoked;
    });
  }

  /** Revokes every active session of the user except `keep`; returns the ids revoked. */
  async revokeAllForUser(tenantId: string, userId: string, reason: RevokeReason, keep?: string): Promise<string[]> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return [];
    const ids: string[] = [];
    for await (const key of tables.sessionsByUser.sub.keys({ gt: `${userId}:`, lt: `${userId};` })) ids.push(key.slice(userId.length + 1));
    const out: string[] = [];
    for (const sid of ids) {
      if (sid === keep) continue;
      const before = await this.get(tenantId, sid);
      if (before?.status === 'active' && (await this.revoke(tenantId, sid, reason))) out.push(sid);
    }
    return out;
  }

  /**
   * Deletes up to `limit` (default 1,000) of the tenant's sessions whose absolute end is at or
   * before `now`, revoked or not, with their user-index entries and every refresh-token digest of
   * theirs, in one durable batch (a crash leaves all of a session or none). A swept session's
   * refresh token then answers `invalid` instead of `expired`: both mean "sign in again".
   */
  async sweepExpired(tenantId: string, now: Date, limit = 1000): Promise<SweepResult> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !(await this.#ctx.keyring.tenant(tenantId))) return { sessions: 0, refreshTokens: 0, more: false };
    const { vault } = this.#ctx;
    const expired = new Map<string, SessionRecord>();
    let more = false;
    for await (const [key, bytes] of tables.sessions.sub.iterator()) {
      const s = await vault.decode(tables.sessions.fullKey(key), bytes, tenantId, SessionRecordSchema);
      if (!s || Date.parse(s.expires_at) > now.getTime()) continue;
      if (expired.size === limit) {
        more = true;
        break;
      }
      expired.set(s.session_id, s);
    }
    if (expired.size === 0) return { sessions: 0, refreshTokens: 0, more: false };
    // Digests name their session only inside the sealed pointer: read them all, keep the ended ones'.
    const ops: RawOp[] = [];
    for await (const [key, bytes] of tables.refreshTokens.sub.iterator()) {
      const ptr = await vault.decode(tables.refreshTokens.fullKey(key), bytes, tenantId, PointerSchema);
      if (ptr && expired.has(ptr.session_id)) ops.push({ type: 'del', key: tables.refreshTokens.fullKey(key) });
    }
    const refreshTokens = ops.length;
    for (const s of expired.values()) {
      ops.push({ type: 'del', key: tables.sessions.fullKey(s.session_id) }, { type: 'del', key: tables.sessionsByUser.fullKey(`${s.user_id}:${s.session_id}`) });
    }
    await this.#ctx.writer.write(ops);
    for (const s of expired.values()) this.#emit(s, 'expired');
    return { sessions: expired.size, refreshTokens, more };
  }
}
