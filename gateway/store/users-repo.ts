/**
 * A tenant's user accounts (issue 8). Records are sealed with the tenant's key under their random
 * `usr_…` id; the email is found through a blind index (`usersByEmail`, unique per tenant) and the
 * role through `usersByRole` (`<role>:<user id>`, ids only). Creation and every read-modify-write
 * of one user run under a lock, so two sign-ups with one email cannot both succeed.
 */
import { z } from 'zod';
import { blindIndex } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { UserRole } from '../http/app-env.js';
import type { RawOp } from './group-commit.js';
import { tenantScope } from './patient-seal.js';
import type { StoreContext } from './store-context.js';
import { MAX_PAGE } from './store-context.js';
import { UserRecordSchema, type UserRecord } from './user-records.js';

const EMPTY = new Uint8Array(0);
export const USER_ID_RE = /^usr_[0-9A-HJKMNP-TV-Z]{26}$/;
const Pointer = z.object({ user_id: z.string() });

export interface UserPage {
  items: UserRecord[];
  next_cursor: string | null;
}

const userLock = (tenantId: string, userId: string) => `user:${tenantId}:${userId}`;

export class UsersRepo {
  readonly #ctx: StoreContext;
  readonly #changed = new Set<(u: { tenantId: string; userId: string }) => void>();

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /**
   * Calls `listener` (synchronously, after the write is durable) whenever a user record of this
   * store changes (status, password, must_change_password, …), so in-memory views of the account
   * (the gateway's session gate) re-read it. Returns the unsubscribe.
   */
  onChanged(listener: (u: { tenantId: string; userId: string }) => void): () => void {
    this.#changed.add(listener);
    return () => this.#changed.delete(listener);
  }

  /**
   * Stores a new user (the caller made the id, keys and hash), durably, with `extra(rec)` ops in
   * the same batch (e.g. consuming the invitation it signed up with). EMAIL_TAKEN (409) when the
   * tenant already has a user with this email; NOT_FOUND for an unknown tenant.
   */
  async create(tenantId: string, input: UserRecord, extra?: (rec: UserRecord) => RawOp[]): Promise<UserRecord> {
    const { vault, writer, locks } = this.#ctx;
    const scope = await tenantScope(this.#ctx, tenantId);
    const rec = UserRecordSchema.parse({ ...input, tenant_id: tenantId });
    const idx = blindIndex(scope.keys.indexKey, rec.email);
    return locks.run(`user-email:${tenantId}:${idx}`, async () => {
      if ((await scope.tables.usersByEmail.sub.get(idx)) !== undefined) {
        throw new WardClerkError('EMAIL_TAKEN', 'An account with this email already exists in this tenant', { details: { field: 'email' } });
      }
      const seal = { kind: 'tenant' as const, keys: scope.keys };
      await writer.write([
        vault.put(scope.tables.users, rec.user_id, rec, seal),
        vault.put(scope.tables.usersByEmail, idx, { user_id: rec.user_id }, seal),
        { type: 'put', key: scope.tables.usersByRole.fullKey(`${rec.role}:${rec.user_id}`), value: EMPTY },
        ...(extra?.(rec) ?? []),
      ]);
      return rec;
    });
  }

  /** One user of the tenant, or null (unknown id, malformed id, another tenant's). */
  async get(tenantId: string, userId: string): Promise<UserRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !USER_ID_RE.test(userId)) return null;
    return this.#ctx.vault.get(tables.users, userId, tenantId, UserRecordSchema);
  }

  /** The tenant's user with this email (normalise it first: gateway/auth/identity.ts), or null. */
  async getByEmail(tenantId: string, email: string): Promise<UserRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    const keys = tables ? await this.#ctx.keyring.tenant(tenantId) : null;
    if (!tables || !keys) return null;
    const ptr = await this.#ctx.vault.get(tables.usersByEmail, blindIndex(keys.indexKey, email), tenantId, Pointer);
    return ptr ? this.get(tenantId, ptr.user_id) : null;
  }

  /**
   * A page of the tenant's users with `role`, in creation order. `cursor` is the previous page's
   * `next_cursor` (a user id); `limit` 1..100 (default 50). A bad cursor → VALIDATION_FAILED.
   */
  async listByRole(tenantId: string, role: UserRole, query: { cursor?: string; limit?: number } = {}): Promise<UserPage> {
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new WardClerkError('VALIDATION_FAILED', `limit must be 1..${MAX_PAGE}`, { details: { field: 'limit' } });
    }
    if (query.cursor !== undefined && !USER_ID_RE.test(query.cursor)) {
      throw new WardClerkError('VALIDATION_FAILED', 'cursor is not one this API returned', { details: { field: 'cursor' } });
    }
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) return { items: [], next_cursor: null };
    const items: UserRecord[] = [];
    const range = { gt: query.cursor !== undefined ? `${role}:${query.cursor}` : `${role}:`, lt: `${role};` };
    for await (const key of tables.usersByRole.sub.keys(range)) {
      const rec = await this.get(tenantId, key.slice(role.length + 1));
      if (!rec || rec.role !== role) continue;
      items.push(rec);
      if (items.length === limit) return { items, next_cursor: rec.user_id };
    }
    return { items, next_cursor: null };
  }

  /**
   * Applies `change` to the user under its lock and writes the result with `extra` ops, durably.
   * Null when there is no such user. The id, tenant, email and role cannot change here.
   */
  async update(
    tenantId: string,
    userId: string,
    change: (rec: UserRecord) => { rec: UserRecord; extra?: RawOp[] } | Promise<{ rec: UserRecord; extra?: RawOp[] }>,
  ): Promise<UserRecord | null> {
    return this.#ctx.locks.run(userLock(tenantId, userId), async () => {
      const current = await this.get(tenantId, userId);
      if (!current) return null;
      const out = await change(current);
      const next = UserRecordSchema.parse({ ...out.rec, user_id: current.user_id, tenant_id: current.tenant_id, email: current.email, role: current.role });
      const scope = await tenantScope(this.#ctx, tenantId);
      await this.#ctx.writer.write([this.#ctx.vault.put(scope.tables.users, userId, next, { kind: 'tenant', keys: scope.keys }), ...(out.extra ?? [])]);
      for (const l of this.#changed) l({ tenantId, userId });
      return next;
    });
  }

  /** Sets `status`; null when there is no such user. */
  setStatus(tenantId: string, userId: string, status: UserRecord['status']): Promise<UserRecord | null> {
    return this.update(tenantId, userId, (rec) => ({ rec: { ...rec, status } }));
  }

  /** Links a patient user to their Patient record (or unlinks with null). */
  linkPatient(tenantId: string, userId: string, patientId: string | null): Promise<UserRecord | null> {
    return this.update(tenantId, userId, (rec) => ({ rec: { ...rec, patient_id: patientId } }));
  }
}
