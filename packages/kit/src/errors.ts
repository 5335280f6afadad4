// One error type for the platform (ARCHITECTURE §4): a domain code that clients branch on, a safe
// message, optional safe details and whether a retry can succeed.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Codes used by the kit itself; subgraphs add their own domain codes (reference §1.4, §2.6, ...). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
  SERVER_SHUTTING_DOWN: 'SERVER_SHUTTING_DOWN',
  ASSERTION_INVALID: 'ASSERTION_INVALID',
  OPERATION_LIMIT_EXCEEDED: 'OPERATION_LIMIT_EXCEEDED',
} as const;

export type Details = Record<string, string | number | boolean | null | string[]>;

/**
 * A GraphQLError subclass, so the code travels in `extensions` on every path (HTTP through Apollo
 * Server, graphql-ws, plain `graphql()`), not only where a formatError hook runs.
 */
export class TalosError extends GraphQLError {
  override readonly name = 'TalosError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Details,
    readonly retryable = false,
  ) {
    super(message, { extensions: { code, retryable, ...(details ? { details } : {}) } });
  }

  toGraphQLError(): GraphQLError {
    return this;
  }
}

export const isTalosError = (e: unknown): e is TalosError => e instanceof TalosError;

/**
 * AS5 `formatError`: keeps coded errors, turns anything unexpected into INTERNAL without stack
 * traces or SQL text unless `development` is set.
 */
export function formatGraphQLError(development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrap(error);
    if (original instanceof TalosError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: {
          code: original.code,
          retryable: original.retryable,
          ...(original.details ? { details: original.details } : {}),
        },
      };
    }
    const code = formatted.extensions?.code;
    const known = typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
    if (known) {
      const { stacktrace, ...extensions } = formatted.extensions ?? {};
      return development ? formatted : { ...formatted, extensions: { retryable: false, ...extensions } };
    }
    return {
      message: development && original instanceof Error ? original.message : 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: ErrorCode.INTERNAL,
        retryable: false,
        ...(development && original instanceof Error ? { stacktrace: original.stack?.split('\n') } : {}),
      },
    };
  };
}

function unwrap(error: unknown): unknown {
  let e = error;
  for (let i = 0; i < 5 && e instanceof GraphQLError && e.originalError; i++) e = e.originalError;
  return e;
}
