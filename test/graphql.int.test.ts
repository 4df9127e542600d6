/**
 * GraphQL on the whole appliance (real nats-server, gateway, engine and worker, LevelDB on disk,
 * real HTTP): the served documents (OpenAPI lists the issue-8 REST routes and the GraphQL route;
 * the SDL parses and holds the types), auth and limits on the real gateway, and the care loop
 * driven through GraphQL alone.
 */
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenantClient, operatorToken, type TenantClient } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';

let app: Appliance;
let opToken: string;
let client: TenantClient;

beforeAll(async () => {
  app = await startAppliance();
  opToken = await operatorToken(app.url, app.adminPassword);
  client = await createTenantClient(app.url, opToken, 'GraphQL clinic');
});
afterAll(async () => {
  await app?.close();
});

const gql = (token: string | undefined, query: string, variables?: Record<string, unknown>) =>
  call(`${app.url}/api/v1/graphql`, { method: 'POST', token, json: { query, variables } });

/** Issue 8's REST routes; each must be in the OpenAPI document. */
const ISSUE_8_PATHS: Array<[string, string]> = [
  ['post', '/api/v1/patients'],
  ['get', '/api/v1/patients'],
  ['get', '/api/v1/patients/{id}'],
  ['patch', '/api/v1/patients/{id}'],
  ['get', '/api/v1/me/patient'],
  ['get', '/api/v1/doctors'],
  ['post', '/api/v1/me/doctors'],
  ['post', '/api/v1/admin/assignments'],
  ['delete', '/api/v1/admin/assignments'],
  ['post', '/api/v1/patients/{id}/messages'],
  ['get', '/api/v1/me/reminders'],
  ['post', '/api/v1/me/reminders/{id}/check-in'],
  ['get', '/api/v1/patients/{id}/reminders'],
];

describe('served documents', () => {
  it('the OpenAPI document lists the issue-8 REST routes and the GraphQL route', async () => {
    const spec = await call(`${app.url}/api/v1/openapi.json`);
    expect(spec.status).toBe(200);
    for (const [method, path] of ISSUE_8_PATHS) expect(spec.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const op = spec.body.paths['/api/v1/graphql'].post;
    expect(op.description).toMatch(/QUERY_TOO_DEEP/);
    expect(op.requestBody.content['application/json'].schema).toBeDefined();
    expect(spec.body.paths['/api/v1/graphql/schema'].get).toBeDefined();
  });

  it('the GraphQL SDL parses and holds the API\'s types and operations', async () => {
    const res = await fetch(`${app.url}/api/v1/graphql/schema`);
    expect(res.status).toBe(200);
    const schema = buildSchema(await res.text());
    for (const t of ['Me', 'Patient', 'Doctor', 'Assignment', 'Reminder', 'SecureMessage']) expect(schema.getType(t), t).toBeDefined();
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['me', 'patients', 'patient', 'myPatient', 'doctors', 'myDoctors', 'myReminders']));
    expect(Object.keys(schema.getMutationType()!.getFields())).toEqual(
      expect.arrayContaining(['registerPatient', 'chooseDoctors', 'assignStaff', 'unassignStaff', 'checkIn', 'sendMessage']),
    );
  });
});

describe('auth and limits on the real gateway', () => {
  it('no token: 401 UNAUTHENTICATED; a client token works with its scopes; 50 levels deep: 400 QUERY_TOO_DEEP', async () => {
    const none = await gql(undefined, '{ me { kind } }');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');

    const me = await gql(client.token, '{ me { kind sub tenant_id } patients { items { patient_id } } }');
    expect(me.status).toBe(200);
    expect(me.body.data.me).toEqual({ kind: 'client', sub: client.clientId, tenant_id: client.tenantId });
    expect(me.body.data.patients.items).toEqual([]);

    const deep = await gql(client.token, '{ ' + 'patient(id: "x") { '.repeat(50) + '}'.repeat(51));
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', status: 400 });
    expect(deep.headers.get('x-request-id')).toBeTruthy();
    expect(deep.headers.get('cache-control')).toBe('no-store');
  });
});
