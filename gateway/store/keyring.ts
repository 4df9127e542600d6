/**
 * Data keys (DEKs): one for operator-level records, one per tenant, one per patient. Each is 32
 * random bytes, stored wrapped (sealed) by the key-encryption key derived from the master key,
 * with its LevelDB key as associated data, and cached unwrapped in memory. A patient's records are
 * sealed with the patient's DEK so that destroying it crypto-shreds them.
 */
import { blindIndex, deriveKey, open, randomKey, seal } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { GroupCommitWriter, RawOp } from './group-commit.js';
import { KeyedLock } from './keyed-lock.js';
import type { Layout } from './layout.js';

const enc = new TextEncoder();

/** A tenant's data key and the key its blind indexes are computed with. */
export interface TenantKeys {
  dek: Uint8Array;
  indexKey: Uint8Array;
}

export class Keyring {
  readonly #layout: Layout;
  readonly #writer: GroupCommitWriter;
  readonly #kek: Uint8Array;
  readonly #tenants = new Map<string, TenantKeys>();
  readonly #patients = new Map<string, Uint8Array>();
  readonly #lock = new KeyedLock();
  /** DEK of operator-level records (operators, signing keys, tenants, clients). */
  readonly system: Uint8Array;
  /** Blind-index key for operator-level lookups (operator email). */
  readonly systemIndexKey: Uint8Array;

  private constructor(layout: Layout, writer: GroupCommitWriter, kek: Uint8Array, system: Uint8Array) {
    this.#layout = layout;
    this.#writer = writer;
    this.#kek = kek;
    this.system = system;
    this.systemIndexKey = deriveKey(system, 1, 'wcblind_');
  }

  /**
   * Loads (or on first start creates, durably) the system DEK. A store written under another
   * master key fails here with STORE_UNAVAILABLE (reason `master_key_mismatch`) rather than later.
   */
  static async open(layout: Layout, writer: GroupCommitWriter, masterKey: Uint8Array): Promise<Keyring> {
    const kek = deriveKey(masterKey, 1, 'wcdekkek');
    const fullKey = layout.keys.fullKey('system');
    const wrapped = await layout.keys.sub.get('system');
    let system: Uint8Array;
    if (wrapped) {
      try {
        system = open(kek, wrapped, enc.encode(fullKey));
      } catch (e) {
        throw new WardClerkError('STORE_UNAVAILABLE', 'the store was created with a different master key', {
          details: { reason: 'master_key_mismatch' }, cause: e,
        });
      }
    } else {
      system = randomKey();
      await writer.write([{ type: 'put', key: fullKey, value: seal(kek, system, enc.encode(fullKey)) }]);
    }
    return new Keyring(layout, writer, kek, system);
  }

  #wrapOp(key: string, dek: Uint8Array): RawOp {
    const fullKey = this.#layout.keys.fullKey(key);
    return { type: 'put', key: fullKey, value: seal(this.#kek, dek, enc.encode(fullKey)) };
  }

  async #unwrap(key: string): Promise<Uint8Array | null> {
    const wrapped = await this.#layout.keys.sub.get(key);
    if (!wrapped) return null;
    return open(this.#kek, wrapped, enc.encode(this.#layout.keys.fullKey(key)));
  }

  /**
   * A fresh tenant DEK and the operation that stores it wrapped; the caller commits the operation
   * with the tenant record (one batch) and then calls {@link rememberTenant}.
   */
  newTenantKey(tenantId: string): { keys: TenantKeys; op: RawOp } {
    const dek = randomKey();
    return { keys: tenantKeysOf(dek), op: this.#wrapOp(`t:${tenantId}`, dek) };
  }

  rememberTenant(tenantId: string, keys: TenantKeys): void {
    this.#tenants.set(tenantId, keys);
  }

  /** The tenant's keys, or null when the tenant does not exist. */
  async tenant(tenantId: string): Promise<TenantKeys | null> {
    const cached = this.#tenants.get(tenantId);
    if (cached) return cached;
    const dek = await this.#unwrap(`t:${tenantId}`);
    if (!dek) return null;
    const keys = tenantKeysOf(dek);
    this.#tenants.set(tenantId, keys);
    return keys;
  }

  /**
   * The DEK of patient `patientId` (a blind index) in a tenant. With `create`, a missing key is
   * generated and durably stored before this resolves (so no record is ever sealed under a key
   * that could be lost); without it, null means no key (never created, or shredded).
   */
  async patient(tenantId: string, patientId: string, create: boolean): Promise<Uint8Array | null> {
    const id = `p:${tenantId}:${patientId}`;
    const cached = this.#patients.get(id);
    if (cached) return cached;
    return this.#lock.run(id, async () => {
      const again = this.#patients.get(id);
      if (again) return again;
      let dek = await this.#unwrap(id);
      if (!dek && create) {
        const fresh = randomKey();
        await this.#writer.write([this.#wrapOp(id, fresh)]);
        dek = fresh;
      }
      if (dek) this.#patients.set(id, dek);
      return dek;
    });
  }

  /** The blind index a patient_ref maps to within a tenant (the patient id). */
  patientId(keys: TenantKeys, patientRef: string): string {
    return blindIndex(keys.indexKey, patientRef);
  }
}

function tenantKeysOf(dek: Uint8Array): TenantKeys {
  return { dek, indexKey: deriveKey(dek, 1, 'wcblind_') };
}
