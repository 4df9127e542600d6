/**
 * What every resolver receives: the gateway's deps and the SAME principal the REST routes see
 * (set by requireAuth from the Bearer token). Resolvers pass both straight to the domain service
 * functions, which own every permission check; nothing here decides who may see what.
 */
import type { Logger } from '../../core/logger.js';
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';

export interface GraphQLContext {
  deps: GatewayDeps;
  principal: Principal;
  /** The request's logger (carries its request id). */
  log: Logger;
  requestId: string;
}

/** The principal when it is a signed-in user of a tenant; FORBIDDEN otherwise (as requireUser). */
export function userPrincipal(ctx: GraphQLContext): Extract<Principal, { kind: 'user' }> {
  const p = ctx.principal;
  if (p.kind !== 'user') throw new WardClerkError('FORBIDDEN', 'This field is for signed-in users of a tenant');
  return p;
}
