import { describe, expect, it } from 'vitest';
import { buildSchema as parseSdl, parse } from 'graphql';
import { createGraphqlFixture } from './testing/graphql-fixture.js';

const USER = { user_id: 'usr_01J0000000000000000000000A', tenant_id: 'tn_a', role: 'doctor' as const, sid: 'ses_1' };

describe('POST /api/v1/graphql: auth', () => {
  it('answers 401 UNAUTHENTICATED without a token and INVALID_TOKEN for a bad one, running nothing', async () => {
    await using f = await createGraphqlFixture();
    const none = await f.gql(null, '{ me { kind } }');
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBe('UNAUTHENTICATED');
    const bad = await f.gql('not.a.jwt', '{ me { kind } }');
    expect(bad.status).toBe(401);
    expect(bad.body.error?.code).toBe('INVALID_TOKEN');
  });

  it('me reflects the operator, a client and a user principal exactly as the token says', async () => {
    await using f = await createGraphqlFixture();
    const op = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const client = (await f.tokens.issueClientToken({ client_id: 'cl_1', tenant_id: 'tn_a', scopes: ['patients:read'] })).access_token;
    const user = (await f.tokens.issueUserToken(USER)).access_token;
    const q = '{ me { kind sub tenant_id role scopes } }';
    expect((await f.gql(op, q)).body.data?.me).toEqual({ kind: 'operator', sub: 'op_1', tenant_id: null, role: null, scopes: expect.any(Array) });
    expect((await f.gql(client, q)).body.data?.me).toEqual({ kind: 'client', sub: 'cl_1', tenant_id: 'tn_a', role: null, scopes: ['patients:read'] });
    const u = await f.gql(user, q);
    expect(u.status).toBe(200);
    expect(u.body.data?.me).toEqual({ kind: 'user', sub: USER.user_id, tenant_id: 'tn_a', role: 'doctor', scopes: [] });
  });

  it('me.user is the account as GET /api/v1/me shows it; a session that has ended is INVALID_TOKEN there too', async () => {
    await using f = await createGraphqlFixture();
    const p = await f.person('nurse');
    const res = await f.gql(p.token, '{ me { user { user_id tenant_id role status session_id private_key_available key_version } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.me.user).toEqual({ user_id: p.userId, tenant_id: p.tenantId, role: 'nurse', status: 'active', session_id: p.sid, private_key_available: true, key_version: 1 });
    const sdl = await (await f.app.request('/api/v1/graphql/schema')).text();
    expect(sdl).not.toMatch(/password_hash|sealed_private_key/);
    await f.store.sessions.revoke(p.tenantId, p.sid, 'logout');
    const ended = await f.gql(p.token, '{ me { kind user { user_id } } }');
    expect(ended.body.data?.me).toEqual({ kind: 'user', user: null });
    expect(ended.body.errors![0]!.extensions).toEqual({ code: 'INVALID_TOKEN', status: 401, details: { reason: 'session_ended' } });
  });

  it('refuses a non-JSON body (415) and a GET (no variables in URLs)', async () => {
    await using f = await createGraphqlFixture();
    const op = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const form = await f.app.request('/api/v1/graphql', { method: 'POST', headers: { authorization: `Bearer ${op}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7Bme%7Bkind%7D%7D' });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const get = await f.app.request('/api/v1/graphql?query=%7Bme%7Bkind%7D%7D', { headers: { authorization: `Bearer ${op}` } });
    expect(get.status).toBe(404);
  });

  it('a body that is not one JSON GraphQL request is a coded 400 in the REST envelope; nothing runs', async () => {
    await using f = await createGraphqlFixture();
    const op = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const cases: Array<[string, string]> = [
      ['{', 'INVALID_JSON'],
      ['{}', 'VALIDATION_FAILED'],
      ['{"query":5}', 'VALIDATION_FAILED'],
      ['[{"query":"{ me { kind } }"}]', 'VALIDATION_FAILED'],
      ['{"query":"{ me { kind } }","variables":"x"}', 'VALIDATION_FAILED'],
      ['{"query":"{ me { kind } }","documentId":"x"}', 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const res = await f.app.request('/api/v1/graphql', { method: 'POST', headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code, body).toBe(code);
    }
    const unknownOp = await f.gql(op, 'query A { me { kind } } query B { me { sub } }');
    expect(unknownOp.status).toBe(400);
    expect(unknownOp.body.errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
  });

  it('a body over the route limit is 413 PAYLOAD_TOO_LARGE before GraphQL reads it', async () => {
    await using f = await createGraphqlFixture();
    const op = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const res = await f.app.request('/api/v1/graphql', {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { kind } }', variables: { x: 'a'.repeat(3 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('GET /api/v1/graphql/schema', () => {
  it('serves SDL that parses into a schema with the API types', async () => {
    await using f = await createGraphqlFixture();
    const res = await f.app.request('/api/v1/graphql/schema');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const sdl = await res.text();
    parse(sdl);
    const schema = parseSdl(sdl);
    expect(schema.getQueryType()?.getFields().me).toBeDefined();
    for (const t of ['Me', 'User', 'UserRole', 'PrincipalKind']) expect(schema.getType(t), t).toBeDefined();
  });

  it('introspection is on and the standard introspection query fits the limits', async () => {
    await using f = await createGraphqlFixture();
    const { getIntrospectionQuery } = await import('graphql');
    const op = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const full = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true });
    const res = await f.gql(op, full);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect((res.body.data?.__schema as { types: Array<{ name: string }> }).types.map((t) => t.name)).toContain('Me');
  });
});

describe('unexpected errors', () => {
  it('a resolver that throws an uncoded error answers INTERNAL with nothing of it, and logs type and frames only', async () => {
    await using f = await createGraphqlFixture();
    const { token } = await f.person('doctor');
    f.store.users.get = async () => {
      throw new TypeError('cannot read birth_date of Jane Doe 1975-06-01');
    };
    const res = await f.gql(token, '{ me { kind user { user_id } } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ me: { kind: 'user', user: null } });
    expect(res.body.errors).toEqual([{ message: 'Internal error', locations: expect.any(Array), path: ['me', 'user'], extensions: { code: 'INTERNAL', status: 500, details: {} } }]);
    expect(JSON.stringify(res.body)).not.toMatch(/Jane|1975|birth_date/);
    const logs = f.logs();
    expect(logs).toContain('unhandled graphql resolver error');
    expect(logs).toContain('TypeError');
    expect(logs).not.toMatch(/Jane|1975/);
  });
});
