// Scalars every subgraph shares (same name and behaviour in every SDL that declares them).
import { GraphQLScalarType, Kind } from 'graphql';
import { TalosError, ErrorCode } from '../errors';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(v: unknown): Date {
  const d = typeof v === 'string' && RFC3339.test(v) ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new TalosError(ErrorCode.BAD_USER_INPUT, 'DateTime must be an RFC 3339 timestamp');
  return d;
}

/** RFC 3339 UTC with milliseconds on output (ARCHITECTURE §3). */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => (v instanceof Date ? v : new Date(v as string)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** Arbitrary JSON, output only (audit details). */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: () => {
    throw new TalosError(ErrorCode.BAD_USER_INPUT, 'JSON values are output only');
  },
});
