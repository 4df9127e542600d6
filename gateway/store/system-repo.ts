/**
 * Operator-level records: operator accounts (looked up by a blind index of the email, so no email
 * appears in a key) and JWT signing keys. Sealed with the system data key.
 */
import { blindIndex } from '../../core/crypto.js';
import {
  OperatorRecordSchema, SigningKeyRecordSchema, type OperatorRecord, type SigningKeyRecord,
} from './records.js';
import type { StoreContext } from './store-context.js';

export class SystemRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** The operator whose email matches after normalisation (trim, case, NFC), or null. */
  async getOperatorByEmail(email: string): Promise<OperatorRecord | null> {
    const { layout, vault, keyring } = this.#ctx;
    return vault.get(layout.operators, blindIndex(keyring.systemIndexKey, email), null, OperatorRecordSchema);
  }

  /** Creates or replaces the operator with this email (durable). */
  async putOperator(rec: OperatorRecord): Promise<void> {
    const { layout, vault, keyring, writer } = this.#ctx;
    const value = OperatorRecordSchema.parse(rec);
    await writer.write([vault.put(layout.operators, blindIndex(keyring.systemIndexKey, value.email), value, { kind: 'system' })]);
  }

  /** Every signing key, oldest first (by kid order when kids are time-sortable ids). */
  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    const { layout, vault } = this.#ctx;
    const out: SigningKeyRecord[] = [];
    for await (const [key, bytes] of layout.signingKeys.sub.iterator()) {
      const rec = await vault.decode(layout.signingKeys.fullKey(key), bytes, null, SigningKeyRecordSchema);
      if (rec) out.push(rec);
    }
    return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** Creates or replaces the signing key with this kid (durable). */
  async putSigningKey(rec: SigningKeyRecord): Promise<void> {
    const { layout, vault, writer } = this.#ctx;
    const value = SigningKeyRecordSchema.parse(rec);
    await writer.write([vault.put(layout.signingKeys, value.kid, value, { kind: 'system' })]);
  }
}
