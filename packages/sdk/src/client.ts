// A small typed client: `request` for queries/mutations over HTTP, `subscribe` over graphql-ws.
// Operations come from schemas/operations/*.graphql via codegen (TypedDocumentNode).
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface TalosClientOptions {
  /** Gateway URL, e.g. http://localhost:4000/graphql. */
  url: string;
  token?: string;
  headers?: Record<string, string>;
}

export class TalosRequestError extends Error {
  override readonly name = 'TalosRequestError';
  constructor(
    readonly errors: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>,
    readonly status: number,
  ) {
    super(errors.map((e) => `${String(e.extensions?.code ?? 'ERROR')}: ${e.message}`).join('; '));
  }

  /** The first error's extensions.code. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code as string | undefined;
  }
}

export class TalosClient {
  private ws?: Client;

  constructor(private readonly opts: TalosClientOptions) {}

  async request<R, V>(document: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
    const res = await fetch(this.opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
        ...this.opts.headers,
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await res.json()) as { data?: R; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    if (body.errors?.length) throw new TalosRequestError(body.errors, res.status);
    return body.data as R;
  }

  /** Subscribes; returns an async iterator of results (errors arrive as TalosRequestError). */
  subscribe<R, V>(document: TypedDocumentNode<R, V>, variables?: V): AsyncIterableIterator<R> {
    this.ws ??= createClient({
      url: this.opts.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: this.opts.token ? { Authorization: `Bearer ${this.opts.token}` } : {},
      retryAttempts: 0,
    });
    const iterator = this.ws.iterate<R>({ query: print(document), variables: variables as Record<string, unknown> | undefined });
    const mapped: AsyncIterableIterator<R> = {
      [Symbol.asyncIterator]: () => mapped,
      next: async () => {
        const r = await iterator.next();
        if (r.done) return { done: true, value: undefined };
        if (r.value.errors?.length) throw new TalosRequestError(r.value.errors as never, 200);
        return { done: false, value: r.value.data as R };
      },
      return: async () => {
        await iterator.return?.();
        return { done: true, value: undefined };
      },
    };
    return mapped;
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
  }
}
