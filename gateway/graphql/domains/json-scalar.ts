/**
 * `JSON`: a value passed through as the REST API shows it. Used for the FHIR structures of plans
 * (Timing, Dosage, spans), which have their own published schemas and are checked by the services.
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { WardClerkError } from '../../../core/errors.js';

const MAX_LITERAL_DEPTH = 16;

function literal(node: ValueNode, variables: Record<string, unknown> | null | undefined, depth: number): unknown {
  if (depth > MAX_LITERAL_DEPTH) throw new WardClerkError('VALIDATION_FAILED', 'JSON literal nests too deep', { details: { max_depth: MAX_LITERAL_DEPTH } });
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => literal(v, variables, depth + 1));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value, variables, depth + 1)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    default:
      return undefined;
  }
}

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'A JSON value as the REST API shows it (FHIR Timing, Dosage, spans); checked by the service that takes it.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (node, variables) => literal(node, variables, 0),
});
