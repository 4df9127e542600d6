/** The calling client's tenant. Tenant always comes from the credential, never from a parameter. */
import type { Context } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from './app-env.js';

export function tenantOf(c: Context<AppEnv>): string {
  const p = c.get('principal');
  if (p?.kind !== 'client') throw new WardClerkError('FORBIDDEN', 'This route needs a tenant API client token');
  return p.tenantId;
}
