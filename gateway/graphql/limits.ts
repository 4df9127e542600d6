/**
 * What one GraphQL request may ask for. Three gates, all before any resolver runs:
 * 1. the query text: at most `maxQueryBytes`, and its bracket nesting is scanned without recursion
 *    so a query 10,000 levels deep never reaches the (recursive) parser;
 * 2. depth: fields nested through selections and fragment spreads;
 * 3. cost: every field costs 1, and a list field multiplies what it selects by its page size (its
 *    `limit` argument, literal or variable, clamped to `maxPage`; `defaultPage` when absent; a
 *    paged object's `items` take the page of the field that returned it; `listEstimate` for other
 *    lists). Introspection has its own budget, sized so the
 *    standard introspection query with every option (cost ≈ 52,000) fits and a nested
 *    `types { fields { type { fields … ` chain five lists deep does not.
 * The walk memoises fragments, so a document of fragments that spread each other twice per level
 * costs linear time to measure, however large the answer it describes.
 */
import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface QueryLimits {
  /** Bytes of the query document (variables are bounded by the route's body limit). */
  maxQueryBytes: number;
  /** Tokens the parser may read before giving up. */
  maxTokens: number;
  /** Deepest nesting of data fields (introspection fields do not count; their cost does). */
  maxDepth: number;
  /** Cost budget of the data fields. */
  maxCost: number;
  /** Cost budget of the introspection fields (`__schema`, `__type` and below). */
  maxIntrospectionCost: number;
  /** Page size assumed for a list field with a `limit` argument that is absent. */
  defaultPage: number;
  /** The largest page a `limit` argument may ask for (resolvers clamp to the same). */
  maxPage: number;
  /** Items assumed for a list without paging (a plan's activities, an introspection list). */
  listEstimate: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxQueryBytes: 16 * 1024,
  maxTokens: 4000,
  maxDepth: 12,
  maxCost: 5000,
  maxIntrospectionCost: 64_000,
  // As the REST lists (gateway/store/patients-repo.ts DEFAULT_PAGE, store-context.ts MAX_PAGE).
  defaultPage: 50,
  maxPage: 100,
  listEstimate: 10,
};

const OPEN = new Set(['{', '[', '(']);
const CLOSE = new Set(['}', ']', ')']);

/**
 * The deepest bracket nesting of a GraphQL source outside strings, block strings and comments,
 * scanned iteratively; stops counting (returns early) once past `stopAt`.
 */
export function bracketDepth(source: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (ch === '"') {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        // An escaped \""" inside a block string does not end it.
        let e = end;
        while (e > 0 && source[e - 1] === '\\') e = source.indexOf('"""', e + 3);
        i = e < 0 ? source.length : e + 2;
      } else {
        i++;
        while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      }
    } else if (OPEN.has(ch)) {
      if (++depth > max) max = depth;
      if (max > stopAt) return max;
    } else if (CLOSE.has(ch)) {
      if (depth > 0) depth--;
    }
  }
  return max;
}

export interface OperationMeasure {
  depth: number;
  cost: number;
  introspectionCost: number;
}

interface Tally {
  depth: number;
  data: number;
  intro: number;
}

const ZERO: Tally = { depth: 0, data: 0, intro: 0 };

function add(a: Tally, b: Tally): Tally {
  return { depth: Math.max(a.depth, b.depth), data: a.data + b.data, intro: a.intro + b.intro };
}

function fieldDef(parent: GraphQLNamedType | undefined, name: string, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (name === '__schema' && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === '__type' && parent === schema.getQueryType()) return TypeMetaFieldDef;
  if (parent && (isObjectType(parent) || isInterfaceType(parent))) return parent.getFields()[name];
  return undefined;
}

/**
 * Depth and cost of the operation that will run (`operationName`, or the only one), with
 * `variables` as given (a `limit: $n` counts as its value).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION) operations.push(def);
  }
  const op = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!op) return { depth: 0, cost: 0, introspectionCost: 0 };

  const pageOf = (field: FieldNode): number => {
    const arg = field.arguments?.find((a) => a.name.value === 'limit');
    if (!arg) return limits.defaultPage;
    let n: unknown;
    if (arg.value.kind === Kind.INT) n = Number(arg.value.value);
    else if (arg.value.kind === Kind.VARIABLE) n = variables?.[arg.value.name.value];
    if (typeof n !== 'number' || !Number.isFinite(n)) return limits.defaultPage;
    return Math.min(Math.max(Math.trunc(n), 1), limits.maxPage);
  };

  const memo = new Map<string, Tally>();
  const visiting = new Set<string>();

  // `page`: the page size a paged parent (`patients(limit: 50) { items … }`) gives the lists
  // directly inside it; a list with its own `limit` uses that.
  const walk = (set: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined, inIntro: boolean, page?: number): Tally => {
    let total = ZERO;
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        const def = fieldDef(parent, name, schema);
        const intro = inIntro || name === '__schema' || name === '__type';
        const paged = def !== undefined && !intro && def.args.some((a) => a.name === 'limit');
        const list = def !== undefined && isListType(getNullableType(def.type));
        const child = walk(sel.selectionSet, def ? getNamedType(def.type) : undefined, intro, paged && !list ? pageOf(sel) : undefined);
        const times = list ? (intro ? limits.listEstimate : paged ? pageOf(sel) : (page ?? limits.listEstimate)) : 1;
        const own: Tally = {
          // Introspection nests `ofType` ~8 deep by design; its cost budget bounds it instead.
          depth: intro ? child.depth : child.depth + 1,
          data: (intro ? 0 : 1) + times * child.data,
          intro: (intro ? 1 : 0) + times * child.intro,
        };
        total = add(total, own);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) ?? undefined : parent;
        total = add(total, walk(sel.selectionSet, type, inIntro, page));
      } else {
        const name = sel.name.value;
        const key = `${name}|${inIntro ? 1 : 0}|${page ?? ''}`;
        let t = memo.get(key);
        if (!t) {
          const frag = fragments.get(name);
          // Cycles are a validation error already; never recurse into one here.
          if (!frag || visiting.has(name)) continue;
          visiting.add(name);
          t = walk(frag.selectionSet, schema.getType(frag.typeCondition.name.value) ?? undefined, inIntro, page);
          visiting.delete(name);
          memo.set(key, t);
        }
        total = add(total, t);
      }
    }
    return total;
  };

  const root = op.operation === 'mutation' ? schema.getMutationType() : op.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const t = walk(op.selectionSet, root ?? undefined, false);
  return { depth: t.depth, cost: t.data, introspectionCost: t.intro };
}
