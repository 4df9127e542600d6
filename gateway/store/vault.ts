/**
 * Sealed values: JSON → UTF-8 → XChaCha20-Poly1305 under the right data key, bound to the full
 * LevelDB key. Layout: `version(1) | kind(1) [| patient id (32)] | nonce | ciphertext+tag`, where
 * kind says which DEK sealed it (system, tenant or patient) so a reader can pick the key before
 * decrypting. The header and the full key are both associated data: moving a value to another key
 * or editing its header fails authentication.
 */
import type { z } from 'zod';
import { open, seal } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { RawOp } from './group-commit.js';
import type { Keyring, TenantKeys } from './keyring.js';
import type { Table } from './layout.js';

const VERSION = 1;
const KIND_SYSTEM = 0;
const KIND_TENANT = 1;
const KIND_PATIENT = 2;
const PID_BYTES = 32;

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/** Which key seals a value. `patientId` is the patient's blind index (64 hex chars). */
export type SealWith =
  | { kind: 'system' }
  | { kind: 'tenant'; keys: TenantKeys }
  | { kind: 'patient'; dek: Uint8Array; patientId: string };

function header(w: SealWith): Uint8Array {
  if (w.kind === 'patient') {
    const h = new Uint8Array(2 + PID_BYTES);
    h[0] = VERSION;
    h[1] = KIND_PATIENT;
    h.set(Buffer.from(w.patientId, 'hex'), 2);
    return h;
  }
  return Uint8Array.of(VERSION, w.kind === 'system' ? KIND_SYSTEM : KIND_TENANT);
}

function associatedData(head: Uint8Array, fullKey: string): Uint8Array {
  const key = enc.encode(fullKey);
  const ad = new Uint8Array(head.length + key.length);
  ad.set(head, 0);
  ad.set(key, head.length);
  return ad;
}

function corrupt(reason: string): WardClerkError {
  return new WardClerkError('INTERNAL', 'a stored value is malformed', { details: { reason } });
}

export class Vault {
  readonly #keyring: Keyring;

  constructor(keyring: Keyring) {
    this.#keyring = keyring;
  }

  /** A put of `value` (JSON-serialisable) at `key` of `table`, sealed as `w` says. */
  put(table: Table, key: string, value: unknown, w: SealWith): RawOp {
    return this.putBytes(table, key, enc.encode(JSON.stringify(value)), w);
  }

  /** A put of raw `bytes` (e.g. a part of an uploaded file) at `key` of `table`, sealed as `w` says. */
  putBytes(table: Table, key: string, bytes: Uint8Array, w: SealWith): RawOp {
    const fullKey = table.fullKey(key);
    const head = header(w);
    const dek = w.kind === 'system' ? this.#keyring.system : w.kind === 'tenant' ? w.keys.dek : w.dek;
    const body = seal(dek, bytes, associatedData(head, fullKey));
    const out = new Uint8Array(head.length + body.length);
    out.set(head, 0);
    out.set(body, head.length);
    return { type: 'put', key: fullKey, value: out };
  }

  /** The raw bytes sealed at `key` of `table` ({@link putBytes}); null as {@link get} says. */
  async getBytes(table: Table, key: string, tenantId: string | null): Promise<Uint8Array | null> {
    const bytes = await table.sub.get(key);
    if (!bytes) return null;
    return this.#open(table.fullKey(key), bytes, tenantId);
  }

  /**
   * Reads, decrypts and schema-checks `key` of `table`. Null when absent, or when its patient key
   * no longer exists (crypto-shredded). `tenantId` is the tenant the caller acts for; a value
   * sealed with a tenant or patient key is opened only with that tenant's keys.
   */
  async get<S extends z.ZodType>(table: Table, key: string, tenantId: string | null, schema: S): Promise<z.infer<S> | null> {
    const bytes = await table.sub.get(key);
    if (!bytes) return null;
    return this.decode(table.fullKey(key), bytes, tenantId, schema);
  }

  /** {@link get} for a value already read (e.g. from an iterator). */
  async decode<S extends z.ZodType>(fullKey: string, bytes: Uint8Array, tenantId: string | null, schema: S): Promise<z.infer<S> | null> {
    const plain = await this.#open(fullKey, bytes, tenantId);
    if (!plain) return null;
    const parsed = schema.safeParse(JSON.parse(dec.decode(plain)));
    if (!parsed.success) {
      // Only the issue paths, never the values: the value is PHI.
      throw new WardClerkError('INTERNAL', 'a stored value does not match its schema', {
        details: { reason: 'schema_mismatch', paths: parsed.error.issues.map((i) => i.path.join('.')) },
      });
    }
    return parsed.data;
  }

  /** Picks the data key from the header and decrypts; null when that key is gone. */
  async #open(fullKey: string, bytes: Uint8Array, tenantId: string | null): Promise<Uint8Array | null> {
    if (bytes.length < 2 || bytes[0] !== VERSION) throw corrupt('bad_header');
    const kind = bytes[1];
    let dek: Uint8Array | null;
    let headLen = 2;
    if (kind === KIND_SYSTEM) {
      dek = this.#keyring.system;
    } else if (kind === KIND_TENANT || kind === KIND_PATIENT) {
      if (tenantId === null) throw corrupt('tenant_value_without_tenant');
      const keys = await this.#keyring.tenant(tenantId);
      if (!keys) return null;
      if (kind === KIND_TENANT) {
        dek = keys.dek;
      } else {
        headLen = 2 + PID_BYTES;
        if (bytes.length < headLen) throw corrupt('bad_header');
        dek = await this.#keyring.patient(tenantId, Buffer.from(bytes.subarray(2, headLen)).toString('hex'), false);
        if (!dek) return null;
      }
    } else {
      throw corrupt('bad_key_kind');
    }
    return open(dek, bytes.subarray(headLen), associatedData(bytes.subarray(0, headLen), fullKey));
  }
}
