import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'graphql';
import { bracketDepth, DEFAULT_QUERY_LIMITS, measureOperation } from './limits.js';
import { buildSchema } from './schema.js';
import { createGraphqlFixture, type GraphqlFixture } from './testing/graphql-fixture.js';

const schema = buildSchema();
const measure = (q: string, vars: Record<string, unknown> = {}) => measureOperation(schema, parse(q), undefined, vars, DEFAULT_QUERY_LIMITS);

describe('bracketDepth', () => {
  it('counts nesting outside strings, block strings and comments', () => {
    expect(bracketDepth('{ a { b { c } } }')).toBe(3);
    expect(bracketDepth('{ a(x: "{{{{{{") }')).toBe(2);
    expect(bracketDepth('{ a(x: """ {{{ \\""" {{{ """) }')).toBe(2);
    expect(bracketDepth('# {{{{{{\n{ a }')).toBe(1);
    expect(bracketDepth('{ a(x: {y: [1, {z: 2}]}) }')).toBe(5);
  });

  it('never throws and is bounded by the count of opening brackets (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const d = bracketDepth(s);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual([...s].filter((ch) => ch === '{' || ch === '[' || ch === '(').length);
      }),
    );
  });

  it('equals the nesting of a generated selection set (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
        expect(bracketDepth('{ me '.repeat(n) + '}'.repeat(n))).toBe(n);
      }),
    );
  });
});

describe('measureOperation', () => {
  it('counts depth through fragments and inline fragments', () => {
    expect(measure('{ me { kind } }').depth).toBe(2);
    expect(measure('{ me { user { user_id } } }').depth).toBe(3);
    expect(measure('query { me { ...M } } fragment M on Me { user { ... on User { role } } }').depth).toBe(3);
  });

  it('a list costs its page: literal or variable limits, a paged parent\'s items take its page, clamped to maxPage', () => {
    const q = (n: string) => `query($n: Int) { patients(limit: ${n}) { items { patient_id reminders(limit: ${n}) { reminder_id } } } }`;
    // patients 1 + items 1 + n × (patient_id 1 + reminders 1 + n × reminder_id 1)
    expect(measure(q('10')).cost).toBe(2 + 10 * (2 + 10));
    expect(measure(q('$n'), { n: 3 }).cost).toBe(2 + 3 * (2 + 3));
    expect(measure(q('$n')).cost).toBe(2 + 50 * (2 + 50));
    expect(measure(q('100000')).cost).toBe(2 + 100 * (2 + 100));
    expect(measure(q('100')).cost).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
  });

  it('introspection fields add no depth but count against their own budget', () => {
    const m = measure('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }');
    expect(m.depth).toBe(0);
    expect(m.cost).toBe(0);
    expect(m.introspectionCost).toBeGreaterThan(100);
  });

  it('memoises fragments: 40 levels of fragments that spread the next twice measure instantly', () => {
    const frags = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Me { ${i < 39 ? `...F${i + 1} ...F${i + 1}` : 'kind'} }`).join('\n');
    const m = measure(`{ me { ...F0 } } ${frags}`);
    expect(m.depth).toBe(2);
    // 2^39 spreads of `kind` in the answer's description, merged by GraphQL into one field.
    expect(m.cost).toBeGreaterThan(1e11);
  });
});

/** A signed-in user's token, and a count of the users-repo reads the `me.user` resolver makes. */
async function countUserReads(f: GraphqlFixture) {
  const person = await f.person('doctor');
  let calls = 0;
  const users = f.store.users;
  const get = users.get.bind(users);
  users.get = async (...a: Parameters<typeof get>) => (calls++, get(...a));
  return { token: person.token, userId: person.userId, count: () => calls };
}

describe('limits over HTTP', () => {
  const deep = (n: number) => '{ ' + 'me { user { '.repeat(n / 2) + 'user_id' + ' } }'.repeat(n / 2) + ' }';

  it('a query 50 levels deep is 400 QUERY_TOO_DEEP before parsing, and no resolver runs', async () => {
    await using f = await createGraphqlFixture();
    const { count, token } = await countUserReads(f);
    const res = await f.gql(token, deep(50));
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', status: 400, details: { max_depth: DEFAULT_QUERY_LIMITS.maxDepth } });
    expect(count()).toBe(0);
  });

  it('a deep query built from small fragments is refused after parsing, before execution', async () => {
    await using f = await createGraphqlFixture({ limits: { ...DEFAULT_QUERY_LIMITS, maxDepth: 2 } });
    const { count, token } = await countUserReads(f);
    const q = 'query { me { ...A } } fragment A on Me { user { ...B } } fragment B on User { user_id }';
    const res = await f.gql(token, q);
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.extensions.code).toBe('QUERY_TOO_DEEP');
    expect(res.body.errors![0]!.extensions.details).toEqual({ max_depth: 2, depth: 3 });
    expect(res.body.data).toBeUndefined();
    expect(count()).toBe(0);
    // Within the limit the same resolver does run.
    const ok = await f.gql(token, 'query { me { ...A } } fragment A on Me { kind }');
    expect(ok.status).toBe(200);
    expect(ok.body.data?.me).toEqual({ kind: 'user' });
    const runs = await createGraphqlFixture();
    await using _ = runs;
    const r = await countUserReads(runs);
    expect((await runs.gql(r.token, q)).body.data?.me).toEqual({ user: { user_id: r.userId } });
    expect(r.count()).toBe(1);
  });

  it('a query whose cost exceeds the budget is 400 QUERY_TOO_COSTLY; under it, it runs', async () => {
    await using f = await createGraphqlFixture({ limits: { ...DEFAULT_QUERY_LIMITS, maxCost: 5 } });
    const op = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: me { kind }`).join(' ');
    const res = await f.gql(op, `{ ${aliases} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', details: { max_cost: 5, cost: 12 } });
    expect((await f.gql(op, '{ a: me { kind } b: me { kind } }')).status).toBe(200);
  });

  it('with the production budget, 100 patients × 100 reminders each is refused; 10 × 10 runs', async () => {
    await using f = await createGraphqlFixture();
    const client = (await f.tokens.issueClientToken({ client_id: 'cl_1', tenant_id: 'tn_a', scopes: ['patients:read'] })).access_token;
    const q = 'query($n: Int) { patients(limit: $n) { items { reminders(limit: $n) { reminder_id } } } }';
    const big = await f.gql(client, q, { n: 100 });
    expect(big.status).toBe(400);
    expect(big.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', details: { max_cost: DEFAULT_QUERY_LIMITS.maxCost } });
    const small = await f.gql(client, q, { n: 10 });
    expect(small.status).toBe(200);
    expect(small.body.data).toEqual({ patients: { items: [] } });
  });

  it('nested introspection lists are refused by their own budget (and by graphql-js past 3 levels)', async () => {
    await using f = await createGraphqlFixture({ limits: { ...DEFAULT_QUERY_LIMITS, maxIntrospectionCost: 1000 } });
    const op = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const res = await f.gql(op, '{ __schema { types { fields { args { name } } } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', details: { introspection: true, max_cost: 1000 } });
    expect((await f.gql(op, '{ __schema { types { fields { name } } } }')).status).toBe(200);
    const nested = await f.gql(op, '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }');
    expect(nested.status).toBe(400);
    expect(nested.body.errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
  });

  it('a query document over maxQueryBytes is 413 PAYLOAD_TOO_LARGE; too many tokens is VALIDATION_FAILED', async () => {
    await using f = await createGraphqlFixture();
    const op = (await f.tokens.issueOperatorToken('op_1')).access_token;
    const big = await f.gql(op, `{ me { kind } } # ${'x'.repeat(DEFAULT_QUERY_LIMITS.maxQueryBytes)}`);
    expect(big.status).toBe(413);
    expect(big.body.errors![0]!.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { max_query_bytes: DEFAULT_QUERY_LIMITS.maxQueryBytes } });
    const many = await f.gql(op, `{ ${'a '.repeat(DEFAULT_QUERY_LIMITS.maxTokens)} }`);
    expect(many.status).toBe(400);
    expect(many.body.errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
    expect(many.body.data ?? undefined).toBeUndefined();
  });
});
