/** The fixed list of scopes an API client can hold. A client gets all of them unless told otherwise. */
export const SCOPES = ['prescriptions:read', 'prescriptions:write', 'jobs:read', 'webhooks:manage', 'patients:read', 'patients:write'] as const;

export type Scope = (typeof SCOPES)[number];
