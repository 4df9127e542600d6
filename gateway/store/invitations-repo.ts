/**
 * Invitation codes (issue 8): single use, expiring, for one role of one tenant, optionally linked to
 * an existing Patient record. The code is `<tenant id>.<24 random bytes, base64url>` (it names
 * its tenant, since sign-up is unauthenticated); only its SHA-256 is stored, as the record's key.
 * Redemption runs under a lock per code, and marks the code used in the same batch as the account
 * it creates, so two sign-ups with one code cannot both succeed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { USER_ROLES } from '../http/app-env.js';
import type { RawOp } from './group-commit.js';
import { TENANT_ID_RE } from './layout.js';
import { tenantScope } from './patient-seal.js';
import type { StoreContext } from './store-context.js';

const IsoDateTime = z.iso.datetime({ offset: true });
const CODE_RE = /^(tn_[0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{32})$/;

export const InvitationRecordSchema = z.object({
  invitation_id: z.string().regex(/^inv_[0-9A-HJKMNP-TV-Z]{26}$/),
  tenant_id: z.string(),
  role: z.enum(USER_ROLES),
  /** For a patient invitation: the Patient record the new account becomes (null: none yet). */
  patient_id: z.string().nullable(),
  /** Who invited: a user id (tenant admin) or the operator's id. */
  created_by: z.string(),
  created_at: IsoDateTime,
  expires_at: IsoDateTime,
  used_at: IsoDateTime.nullable(),
  used_by: z.string().nullable(),
});
export type InvitationRecord = z.infer<typeof InvitationRecordSchema>;

const digest = (code: string) => createHash('sha256').update(code).digest('hex');

/** The tenant an invitation code names, or null when it is not one of ours. */
export function invitationTenant(code: string): string | null {
  const m = CODE_RE.exec(code);
  return m && TENANT_ID_RE.test(m[1]!) ? m[1]! : null;
}

function invalid(reason: 'unknown' | 'expired' | 'used'): WardClerkError {
  const text = { unknown: 'The invitation code is not valid', expired: 'The invitation code has expired', used: 'The invitation code has already been used' }[reason];
  return new WardClerkError('INVITATION_INVALID', text, { details: { reason } });
}

export class InvitationsRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Creates an invitation, durably; the code is returned here only. NOT_FOUND for an unknown tenant. */
  async create(
    tenantId: string,
    input: { role: InvitationRecord['role']; patient_id?: string | null; created_by: string; now: Date; ttlSeconds: number },
  ): Promise<{ invitation: InvitationRecord; code: string }> {
    const scope = await tenantScope(this.#ctx, tenantId);
    const code = `${tenantId}.${randomBytes(24).toString('base64url')}`;
    const invitation = InvitationRecordSchema.parse({
      invitation_id: newId('inv'), tenant_id: tenantId, role: input.role, patient_id: input.patient_id ?? null, created_by: input.created_by,
      created_at: input.now.toISOString(), expires_at: new Date(input.now.getTime() + input.ttlSeconds * 1000).toISOString(), used_at: null, used_by: null,
    });
    await this.#ctx.writer.write([this.#ctx.vault.put(scope.tables.invitations, digest(code), invitation, { kind: 'tenant', keys: scope.keys })]);
    return { invitation, code };
  }

  /**
   * Redeems `code` for `tenantId`: under the code's lock, checks it is known, unused and unexpired
   * (else INVITATION_INVALID 400 with details.reason `unknown`, `used` or `expired`), then runs
   * `use(invitation, consume)`. `use` must commit `consume(userId)` in the batch that creates the
   * account; nothing is stored when it throws.
   */
  async redeem<T>(tenantId: string, code: string, now: Date, use: (inv: InvitationRecord, consume: (userId: string) => RawOp[]) => Promise<T>): Promise<T> {
    if (invitationTenant(code) !== tenantId) throw invalid('unknown');
    const scope = await tenantScope(this.#ctx, tenantId).catch(() => null);
    if (!scope) throw invalid('unknown');
    const key = digest(code);
    return this.#ctx.locks.run(`invitation:${tenantId}:${key}`, async () => {
      const inv = await this.#ctx.vault.get(scope.tables.invitations, key, tenantId, InvitationRecordSchema);
      if (!inv) throw invalid('unknown');
      if (inv.used_at !== null) throw invalid('used');
      if (Date.parse(inv.expires_at) <= now.getTime()) throw invalid('expired');
      const consume = (userId: string): RawOp[] => [
        this.#ctx.vault.put(scope.tables.invitations, key, { ...inv, used_at: now.toISOString(), used_by: userId }, { kind: 'tenant', keys: scope.keys }),
      ];
      return use(inv, consume);
    });
  }
}
