/**
 * The slice of the store that auth and admin use: exactly the methods they call, so the real
 * `Store` (gateway/store/store.ts) satisfies `AuthStore` structurally and tests may pass either.
 */
import type { ClientRecord, OperatorRecord, SigningKeyRecord, TenantRecord } from '../store/records.js';

export type { ClientRecord, OperatorRecord, SigningKeyRecord, TenantRecord };

/** Exactly the store methods auth and admin call. */
export interface AuthStore {
  system: {
    getOperatorByEmail(email: string): Promise<OperatorRecord | null>;
    putOperator(rec: OperatorRecord): Promise<void>;
    listSigningKeys(): Promise<SigningKeyRecord[]>;
    putSigningKey(rec: SigningKeyRecord): Promise<void>;
  };
  tenants: {
    create(input: { name: string }): Promise<TenantRecord>;
    get(id: string): Promise<TenantRecord | null>;
    list(): Promise<TenantRecord[]>;
    update(id: string, patch: { name?: string; cors_origins?: string[] }): Promise<TenantRecord | null>;
  };
  clients: {
    create(tenantId: string, input: { name: string; scopes: string[]; secret_hash: string }): Promise<ClientRecord>;
    get(clientId: string): Promise<ClientRecord | null>;
    list(tenantId: string): Promise<ClientRecord[]>;
  };
}
