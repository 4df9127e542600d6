/**
 * Shapes of a tenant's people (issue 8): user accounts and their sealed keypairs. Values are sealed
 * with the tenant's key (the email inside is PHI-adjacent; the key of a record is its random id).
 */
import { z } from 'zod';
import { USER_ROLES } from '../http/app-env.js';

const IsoDateTime = z.iso.datetime({ offset: true });

/**
 * A private key sealed with a key derived from the user's password (Argon2id → XChaCha20-Poly1305):
 * only someone who knows the password can open it, not the master key's holder.
 */
export const SealedPrivateKeySchema = z.object({
  alg: z.literal('argon2id+xchacha20poly1305'),
  salt: z.string().min(1),
  nonce: z.string().min(1),
  ciphertext: z.string().min(1),
  opslimit: z.number().int().positive(),
  memlimit: z.number().int().positive(),
});
export type SealedPrivateKey = z.infer<typeof SealedPrivateKeySchema>;

export const UserRecordSchema = z.object({
  user_id: z.string().regex(/^usr_[0-9A-HJKMNP-TV-Z]{26}$/),
  tenant_id: z.string().min(1),
  /** Normalised (trim, NFKC, case-fold) email: the login identity. */
  email: z.string().min(3).max(320),
  role: z.enum(USER_ROLES),
  status: z.enum(['active', 'disabled']),
  display_name: z.string().max(200),
  /** Argon2id hash (core/crypto.ts hashPassword). */
  password_hash: z.string().min(1),
  password_changed_at: IsoDateTime,
  /** Set by an admin password reset: the next sign-in must choose a new password. */
  must_change_password: z.boolean(),
  /** X25519 public key (base64) others seal messages to. */
  public_key: z.string().min(1),
  sealed_private_key: SealedPrivateKeySchema,
  /** Bumped when the keypair is replaced (an admin reset): messages sealed to an older one are unreadable. */
  key_version: z.number().int().min(1),
  /** For a patient user: the Patient record they are (null until linked). */
  patient_id: z.string().nullable(),
  created_at: IsoDateTime,
});
export type UserRecord = z.infer<typeof UserRecordSchema>;

/** What other features may show about a user (never the hash or the sealed key). */
export type UserSummary = Pick<UserRecord, 'user_id' | 'role' | 'status' | 'display_name' | 'public_key' | 'key_version' | 'patient_id'>;
