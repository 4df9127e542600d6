import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GraphQLError, buildSchema, parse, validate } from 'graphql';
import { WardClerkError } from '../../core/errors.js';
import { maskError, normalizeError, scrubValues } from './errors.js';

const SDL = 'input P { name: String!, birth_date: String!, sex: Sex } enum Sex { male female } type Query { p(input: P!, n: Int): Int }';

describe('scrubValues', () => {
  it('keeps names and types, drops every value graphql-js quotes or prints', () => {
    expect(scrubValues('Cannot query field "foo" on type "Patient".')).toBe('Cannot query field "foo" on type "Patient".');
    expect(scrubValues('Variable "$input" of required type "[P!]!" was not provided.')).toBe('Variable "$input" of required type "[P!]!" was not provided.');
    expect(scrubValues('Expected value of type "Sex", found "Jane Doe".')).not.toContain('Jane');
    expect(scrubValues('Int cannot represent non-integer value: 123456.5')).not.toContain('123456');
    expect(scrubValues('Variable "$input" got invalid value { name: "Jane" } at "input"; Field "birth_date" of required type "String!" was not provided.')).toBe(
      'Variable "$input" got invalid value …; Field "birth_date" of required type "String!" was not provided.',
    );
    expect(scrubValues('Syntax Error: Unexpected String "Jane Doe, MRN 4411".')).not.toMatch(/Jane|4411/);
  });

  it('no value from a literal or a variable survives in graphql-js validation and coercion messages (property)', () => {
    const schema = buildSchema(SDL);
    const secret = fc.stringMatching(/^[A-Z][a-z]{3,10} [0-9]{4,8}$/);
    fc.assert(
      fc.property(secret, (s) => {
        const docs = [`{ p(input: { name: "${s}", birth_date: 1 }) }`, `{ p(input: { name: 1, birth_date: "x", sex: ${s.split(' ')[0]} }) }`, `{ p(input: { name: "a", birth_date: "b" }, n: "${s}") }`];
        for (const d of docs) {
          for (const e of validate(schema, parse(d))) {
            const m = scrubValues(e.message);
            expect(m).not.toContain(s);
            expect(m).not.toContain(s.split(' ')[0]);
            expect(m).not.toContain(s.split(' ')[1]);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('maskError and normalizeError', () => {
  it('a coded error keeps its code, status and details; its message is the coded one', () => {
    const e = maskError(new GraphQLError('wrapped', { originalError: new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } }) })) as GraphQLError;
    expect(e.message).toBe('No such patient');
    expect(e.extensions).toEqual({ code: 'NOT_FOUND', status: 404, details: { resource: 'patient' } });
  });

  it('any other error is INTERNAL with nothing of the original', () => {
    const e = maskError(new GraphQLError('boom', { originalError: new TypeError('Cannot read name of Jane Doe') })) as GraphQLError;
    expect(e.message).toBe('Internal error');
    expect(JSON.stringify(e.toJSON())).not.toContain('Jane');
    expect(e.extensions).toMatchObject({ code: 'INTERNAL', status: 500, details: {} });
  });

  it('graphql-js errors become VALIDATION_FAILED, with yoga HTTP statuses mapped to their codes', () => {
    expect(normalizeError(new GraphQLError('Syntax Error: Unexpected "}".')).extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(normalizeError(new GraphQLError('Request is too large', { extensions: { http: { status: 413 } } })).extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(normalizeError(new GraphQLError('whatever', { extensions: { http: { status: 500 } } })).message).toBe('Internal error');
  });
});
