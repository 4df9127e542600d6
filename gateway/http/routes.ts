/** Every HTTP feature's routes, registered in one place. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { registerAdminRoutes } from '../admin/routes.js';
import { registerAuthRoutes } from '../auth/routes.js';
import { provideEngineOcr } from '../engines/ocr-port.js';
import { registerEngineRoutes } from '../engines/routes.js';
import { registerGenerateRoutes } from '../generate/routes.js';
import { registerGraphqlRoutes } from '../graphql/routes.js';
import { registerHealthRoutes } from '../health/routes.js';
import { registerJobRoutes } from '../jobs/routes.js';
import { registerLegacyRoutes } from '../legacy/routes.js';
import { registerPrescriptionRoutes } from '../prescriptions/routes.js';
import { registerCarePlanRoutes } from '../care-plans/routes.js';
import { registerDocumentRoutes } from '../documents/routes.js';
import { registerAssignmentRoutes } from '../people/assignments-routes.js';
import { registerDoctorRoutes } from '../people/doctors-routes.js';
import { registerMessageRoutes } from '../people/messages-routes.js';
import { registerPatientRoutes } from '../people/patients-routes.js';
import { loginUser } from '../people/sessions-service.js';
import { registerUserRoutes } from '../people/users-routes.js';
import { registerReminderRoutes } from '../scheduler/routes.js';
import { registerSearchRoutes } from '../search/routes.js';
import { registerWebhookRoutes } from '../webhooks/routes.js';
import type { AppEnv } from './app-env.js';
import type { GatewayDeps } from './deps.js';

export function registerRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  provideEngineOcr(app, deps);
  registerHealthRoutes(app, deps);
  const throttle = registerAuthRoutes(app, { ...deps, userLogin: (input) => loginUser(deps, input) });
  registerUserRoutes(app, deps, throttle);
  registerAdminRoutes(app, deps);
  registerPrescriptionRoutes(app, deps);
  registerPatientRoutes(app, deps);
  registerDoctorRoutes(app, deps);
  registerAssignmentRoutes(app, deps);
  registerMessageRoutes(app, deps);
  registerReminderRoutes(app, deps);
  registerCarePlanRoutes(app, deps);
  registerDocumentRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerJobRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerLegacyRoutes(app, deps);
  registerEngineRoutes(app, deps);
  registerGenerateRoutes(app, deps);
  registerGraphqlRoutes(app, deps);
}
