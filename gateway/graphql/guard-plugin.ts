/**
 * The yoga plugin that applies {@link QueryLimits} and gives every error in an answer its code:
 * - onParams: query size and bracket nesting, on the text, before it is parsed;
 * - onParse: the parser with a token budget;
 * - onExecute: depth and cost of the operation about to run (variables known), before any resolver;
 * - onExecuteDone: unexpected resolver errors are logged (type and stack frames, never the message);
 * - onResultProcess: every error normalised (codes, PHI-free messages), whoever raised it.
 * A refusal answers HTTP 400/413 with the coded error and runs nothing.
 */
import { parse, GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { WardClerkError } from '../../core/errors.js';
import type { GraphQLContext } from './context.js';
import { codedCause, normalizeError, toGraphQLError } from './errors.js';
import { bracketDepth, measureOperation, type QueryLimits } from './limits.js';

function refusal(e: WardClerkError): ExecutionResult {
  return { errors: [toGraphQLError(e, undefined, true)] };
}

function tooDeep(limits: QueryLimits, depth: number): WardClerkError {
  return new WardClerkError('QUERY_TOO_DEEP', `The query nests deeper than ${limits.maxDepth} levels`, {
    details: { max_depth: limits.maxDepth, depth },
  });
}

/**
 * Normalises every error; a result without `data` is a request error (it did not parse or validate,
 * or was refused), and is answered with the error's HTTP status, as REST answers a bad request.
 */
function normalizeResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const requestError = result.data === undefined;
  const errors = result.errors.map((e) => {
    const n = normalizeError(e instanceof GraphQLError ? e : new GraphQLError(String(e)));
    if (!requestError) return n;
    // Without yoga's `spec` flag, which would answer 200 to an application/json client.
    return new GraphQLError(n.message, { nodes: n.nodes, source: n.source, positions: n.positions, path: n.path, extensions: { ...n.extensions, http: { status: n.extensions.status as number } } });
  });
  return { ...result, errors };
}

/** The plugin; `limits` are the production defaults unless a test passes smaller ones. */
export function useWardClerkGuards(limits: QueryLimits): Plugin<GraphQLContext> {
  return {
    onParams({ params, setResult }) {
      const query = typeof params.query === 'string' ? params.query : '';
      const bytes = Buffer.byteLength(query, 'utf8');
      if (bytes > limits.maxQueryBytes) {
        setResult(
          refusal(
            new WardClerkError('PAYLOAD_TOO_LARGE', `The query document exceeds ${limits.maxQueryBytes} bytes`, {
              details: { max_query_bytes: limits.maxQueryBytes },
            }),
          ),
        );
        return;
      }
      // Brackets also nest input values and argument lists, hence the margin over maxDepth.
      const depth = bracketDepth(query, limits.maxDepth + 16);
      if (depth > limits.maxDepth + 16) setResult(refusal(tooDeep(limits, depth)));
    },
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...options, maxTokens: limits.maxTokens }));
    },
    onExecute({ args, setResultAndStopExecution }) {
      const m = measureOperation(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined, limits);
      if (m.depth > limits.maxDepth) {
        setResultAndStopExecution(refusal(tooDeep(limits, m.depth)));
        return;
      }
      if (m.cost > limits.maxCost || m.introspectionCost > limits.maxIntrospectionCost) {
        const over = m.cost > limits.maxCost ? { cost: m.cost, max_cost: limits.maxCost } : { cost: m.introspectionCost, max_cost: limits.maxIntrospectionCost, introspection: true };
        setResultAndStopExecution(refusal(new WardClerkError('QUERY_TOO_COSTLY', `The query's estimated cost ${over.cost} exceeds ${over.max_cost}`, { details: over })));
        return;
      }
      const ctx = args.contextValue;
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result) || !result.errors) return;
          for (const e of result.errors) {
            if (codedCause(e)) continue;
            const original = e.originalError ?? e;
            if (e.originalError === undefined || e.originalError instanceof GraphQLError) continue;
            // The stack's first line repeats the message, which may quote data: frames only.
            const frames = original.stack?.split('\n').slice(1).join('\n');
            ctx.log.error({ err: { type: original.name, stack: frames }, path: e.path?.join('.') }, 'unhandled graphql resolver error');
          }
        },
      };
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(normalizeResult));
      else if (!(Symbol.asyncIterator in (result as object))) setResult(normalizeResult(result as ExecutionResult));
    },
  };
}
