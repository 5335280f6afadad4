import { createClient } from 'graphql-ws';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';

/** How an upstream subscription ended. */
export type UpstreamEnd =
  | { kind: 'complete' }
  | { kind: 'errors'; errors: readonly GraphQLFormattedError[] }
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'failed'; message: string };

export interface UpstreamRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

export interface UpstreamHandlers {
  next(event: FormattedExecutionResult): void;
  /** Called at most once. */
  end(end: UpstreamEnd): void;
}

export interface Upstream {
  /** Sends `complete` to the subgraph; graphql-ws then closes the socket normally (1000). */
  unsubscribe(): void;
  /** Closes the socket with the given code; resolves once it is closed. */
  close(code: number, reason: string): Promise<void>;
}

/**
 * One graphql-ws connection per subscription: connectionParams carry the caller's principal
 * assertion, so sockets cannot be shared between clients.
 */
export function openUpstream(
  url: string,
  connectionParams: Record<string, unknown>,
  request: UpstreamRequest,
  handlers: UpstreamHandlers,
): Upstream {
  let socket: WebSocket | undefined;
  // graphql-ws never hands out a socket that is still connecting (and its terminate() always
  // uses 4499), so capture each socket at construction to close it with our own code.
  class TrackedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols);
      socket = this;
    }
  }

  let ended = false;
  const end = (result: UpstreamEnd): void => {
    if (ended) return;
    ended = true;
    handlers.end(result);
  };

  const client = createClient({
    url,
    connectionParams,
    webSocketImpl: TrackedWebSocket,
    // lazy: the socket lives exactly as long as this one subscription; no retries, because a
    // refused or closed upstream must reach the client as an error rather than be hidden.
    lazy: true,
    retryAttempts: 0,
  });
  const unsubscribe = client.subscribe<Record<string, unknown>, Record<string, unknown>>(request, {
    next: (event) => {
      if (!ended) handlers.next(event);
    },
    error: (error) => end(classifyError(error)),
    complete: () => end({ kind: 'complete' }),
  });

  return {
    unsubscribe() {
      ended = true;
      unsubscribe();
    },
    close(code, reason) {
      ended = true;
      const current = socket;
      if (!current || current.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise<void>((resolve) => {
        current.once('close', () => resolve());
        current.close(code, reason);
      });
    },
  };
}

function classifyError(error: unknown): UpstreamEnd {
  if (Array.isArray(error)) return { kind: 'errors', errors: error as GraphQLFormattedError[] };
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number') {
    const { code, reason } = error as { code: number; reason?: unknown };
    return { kind: 'closed', code, reason: typeof reason === 'string' ? reason : '' };
  }
  return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
}
