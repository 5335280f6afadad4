import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { UpstreamEnd } from './upstream';

export function errorResult(message: string, code: string, extensions: Record<string, unknown> = {}): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { ...extensions, code } })] };
}

/** Copies a GraphQLError, merging `extensions` over its own. */
export function withExtensions(error: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, ...extensions },
  });
}

/**
 * Errors sent by the subgraph itself (graphql-ws `error` message). Their locations refer to the
 * subgraph operation, not the client's, so they are dropped.
 */
export function fromSubgraphErrors(errors: readonly GraphQLFormattedError[], serviceName: string): GraphQLError[] {
  return errors.map(
    (error) =>
      new GraphQLError(error.message, { path: error.path, extensions: { ...error.extensions, serviceName } }),
  );
}

/** The error results to deliver when the upstream ends; none for a normal completion. */
export function upstreamEndErrors(end: UpstreamEnd, serviceName: string): GraphQLError[] {
  switch (end.kind) {
    case 'complete':
      return [];
    case 'errors':
      return fromSubgraphErrors(end.errors, serviceName);
    case 'closed': {
      const refused = end.code === 4401 || end.code === 4403;
      const detail = `${end.code}${end.reason ? `: ${end.reason}` : ''}`;
      const message = refused
        ? `Subgraph "${serviceName}" refused the subscription (${detail})`
        : `Subgraph "${serviceName}" closed the subscription (${detail})`;
      return [
        new GraphQLError(message, {
          extensions: { code: refused ? 'FORBIDDEN' : 'SUBGRAPH_UNAVAILABLE', serviceName, closeCode: end.code },
        }),
      ];
    }
    case 'failed':
      return [
        new GraphQLError(`Subscription to subgraph "${serviceName}" failed: ${end.message}`, {
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName },
        }),
      ];
  }
}
