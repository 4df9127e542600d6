/**
 * What every resolver receives: the gateway's deps and the SAME principal the REST routes see
 * (set by requireAuth from the Bearer token). Resolvers pass both straight to the domain service
 * functions, which own every permission check; nothing here decides who may see what.
 */
import type { Logger } from '../../core/logger.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';

export interface GraphQLContext {
  deps: GatewayDeps;
  principal: Principal;
  /** The request's logger (carries its request id). */
  log: Logger;
  requestId: string;
}
