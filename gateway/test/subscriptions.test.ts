import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { FederatedSubscriptionExecutor, type FederatedSubscriptionExecutorOptions } from '../src/subscriptions';

// Two real subgraphs: A owns Subscription.ticks; B owns User.name, reached by the `rest` plan.
const typeDefsA = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { ping: String }
  type Subscription { ticks(n: Int!, ownerId: ID, intervalMs: Int): Tick! }
  type Tick @key(fields: "id") { id: ID!, seq: Int!, owner: User!, watchers: [User!]!, label: String }
  type User @key(fields: "id", resolvable: false) { id: ID! }
`);
const typeDefsB = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { user(id: ID!): User }
  type User @key(fields: "id") { id: ID!, name: String! }
`);

/** What subgraph A observed, for assertions. */
const seenA = {
  connectionParams: [] as unknown[],
  closes: [] as Array<{ code: number; reason: string }>,
  finishedStreams: 0,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const resolversA = {
  Query: { ping: () => 'pong' },
  Tick: {
    label: ({ seq }: { seq: number }) => {
      if (seq === 2) throw new GraphQLError('label unavailable', { extensions: { code: 'LABEL_UNAVAILABLE' } });
      return `tick ${seq}`;
    },
  },
  Subscription: {
    ticks: {
      subscribe: async function* (_: unknown, args: { n: number; ownerId?: string; intervalMs?: number }) {
        if (args.n < 1) throw new GraphQLError('n must be positive', { extensions: { code: 'BAD_USER_INPUT' } });
        try {
          for (let seq = 1; seq <= args.n; seq++) {
            await sleep(args.intervalMs ?? 1);
            yield {
              ticks: { id: `t${seq}`, seq, owner: { id: args.ownerId ?? `u${seq}` }, watchers: [{ id: 'w1' }, { id: 'w2' }] },
            };
          }
        } finally {
          seenA.finishedStreams++;
        }
      },
    },
  },
};
const resolversB = {
  Query: { user: (_: unknown, { id }: { id: string }) => ({ id }) },
  User: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    name: ({ id }: { id: string }) => {
      if (id === 'boom') throw new GraphQLError('name unavailable', { extensions: { code: 'NAME_UNAVAILABLE' } });
      return `User ${id}`;
    },
  },
};

interface RunningSubgraph {
  httpUrl: string;
  wsUrl: string;
  wss: WebSocketServer;
  stop(): Promise<void>;
}

async function startSubgraph(
  typeDefs: ReturnType<typeof parse>,
  resolvers: any,
  onConnect?: (params: Record<string, unknown> | undefined) => boolean,
): Promise<RunningSubgraph> {
  const schema = buildSubgraphSchema([{ typeDefs, resolvers }]);
  const app = express();
  const httpServer: Server = createServer(app);
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer(
    {
      schema,
      onConnect: onConnect && ((ctx) => onConnect(ctx.connectionParams)),
      onClose: (_ctx, code, reason) => {
        if (onConnect) seenA.closes.push({ code: code ?? 0, reason: reason ?? '' });
      },
    },
    wss,
  );
  const apollo = new ApolloServer({ schema, plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginInlineTraceDisabled()] });
  await apollo.start();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    httpUrl: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    wss,
    async stop() {
      await wsCleanup.dispose();
      await apollo.stop();
    },
  };
}

let subgraphA: RunningSubgraph;
let subgraphB: RunningSubgraph;
let executor: FederatedSubscriptionExecutor;
const fetchContexts: unknown[] = [];

const fetchSubgraph: FederatedSubscriptionExecutorOptions['fetchSubgraph'] = async (serviceName, request, context) => {
  fetchContexts.push(context);
  const url = { a: subgraphA.httpUrl, b: subgraphB.httpUrl }[serviceName];
  if (!url) throw new Error(`unknown subgraph ${serviceName}`);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
};

beforeAll(async () => {
  subgraphA = await startSubgraph(typeDefsA, resolversA, (params) => {
    seenA.connectionParams.push(params);
    return params?.assertion !== 'bad';
  });
  subgraphB = await startSubgraph(typeDefsB, resolversB);
  const composed = composeServices([
    { name: 'a', typeDefs: typeDefsA, url: subgraphA.httpUrl },
    { name: 'b', typeDefs: typeDefsB, url: subgraphB.httpUrl },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  executor = new FederatedSubscriptionExecutor({
    supergraphSdl: composed.supergraphSdl,
    subgraphWsUrls: { a: subgraphA.wsUrl, b: subgraphB.wsUrl },
    fetchSubgraph,
  });
});

afterAll(async () => {
  await executor?.closeAll(1001, 'test done');
  await Promise.all([subgraphA?.stop(), subgraphB?.stop()]);
});

async function subscribe(
  query: string,
  variables?: Record<string, unknown>,
  connectionParams: Record<string, unknown> = { assertion: 'good' },
  context: unknown = { requestId: 'r1' },
) {
  return executor.subscribe({ document: parse(query), variables, context, socket: { connectionParams } });
}

async function iterate(query: string, variables?: Record<string, unknown>, connectionParams?: Record<string, unknown>) {
  const result = await subscribe(query, variables, connectionParams);
  if (!(Symbol.asyncIterator in result)) throw new Error(`expected an iterator, got ${JSON.stringify(result)}`);
  return result;
}

async function collect(iterator: AsyncIterableIterator<ExecutionResult>): Promise<ExecutionResult[]> {
  const results: ExecutionResult[] = [];
  for await (const result of iterator) results.push(result);
  return results;
}

/** Plain JSON as a client would receive it. */
const json = (value: unknown) => JSON.parse(JSON.stringify(value));

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(10);
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

test('delivers the events of a single-subgraph subscription in order, shaped to the selection', async () => {
  const results = await collect(
    await iterate('subscription Ticks($n: Int!) { t: ticks(n: $n) { seq __typename } }', { n: 4 }),
  );
  expect(json(results)).toEqual(
    [1, 2, 3, 4].map((seq) => ({ data: { t: { seq, __typename: 'Tick' } } })),
  );
});

test('resolves fields owned by another subgraph per event (rest plan)', async () => {
  fetchContexts.length = 0;
  const results = await collect(await iterate('subscription { ticks(n: 3) { seq owner { id name } } }'));
  expect(json(results)).toEqual(
    [1, 2, 3].map((seq) => ({ data: { ticks: { seq, owner: { id: `u${seq}`, name: `User u${seq}` } } } })),
  );
  // One entity fetch per event, carrying the caller's context.
  expect(fetchContexts).toEqual([{ requestId: 'r1' }, { requestId: 'r1' }, { requestId: 'r1' }]);
});

test('resolves entities in lists and at several paths of the event (Parallel/Flatten in rest)', async () => {
  const results = await collect(
    await iterate('subscription { ticks(n: 2) { seq owner { name } watchers { id name } } }'),
  );
  const watchers = [{ id: 'w1', name: 'User w1' }, { id: 'w2', name: 'User w2' }];
  expect(json(results)).toEqual(
    [1, 2].map((seq) => ({ data: { ticks: { seq, owner: { name: `User u${seq}` }, watchers } } })),
  );
});

test('sends connectionParams to the owning subgraph and surfaces a refusal as FORBIDDEN', async () => {
  seenA.connectionParams.length = 0;
  await collect(await iterate('subscription { ticks(n: 1) { seq } }', undefined, { assertion: 'good' }));
  expect(seenA.connectionParams).toEqual([{ assertion: 'good' }]);

  const results = await collect(await iterate('subscription { ticks(n: 1) { seq } }', undefined, { assertion: 'bad' }));
  expect(results).toHaveLength(1);
  expect(results[0]!.data).toBeUndefined();
  expect(json(results[0]!.errors)).toEqual([
    expect.objectContaining({ extensions: { code: 'FORBIDDEN', serviceName: 'a', closeCode: 4403 } }),
  ]);
});

test('closing the iterator early stops the upstream subscription and closes its socket', async () => {
  const finishedBefore = seenA.finishedStreams;
  const closesBefore = seenA.closes.length;
  const iterator = await iterate('subscription { ticks(n: 1000, intervalMs: 5) { seq } }');
  expect(json(await iterator.next())).toEqual({ done: false, value: { data: { ticks: { seq: 1 } } } });
  // A pending next() must be released by return() without waiting for another event.
  const pending = iterator.next();
  await iterator.return!();
  expect(await pending).toEqual(expect.objectContaining({ done: true }));
  await waitFor(() => seenA.finishedStreams > finishedBefore, "the subgraph's stream to finish");
  // Under load the previous test's 4403 close can land after closesBefore was read: wait for ours.
  await waitFor(() => seenA.closes.slice(closesBefore).some((c) => c.code === 1000), 'the upstream socket to close');
  expect(seenA.closes.slice(closesBefore)).toContainEqual({ code: 1000, reason: 'Normal Closure' });
});

test('closing the iterator before the upstream connected still closes the socket', async () => {
  const closesBefore = seenA.closes.length;
  const iterator = await iterate('subscription { ticks(n: 1000, intervalMs: 5) { seq } }');
  await iterator.return!();
  // Under load the previous test's 4403 close can land after closesBefore was read: wait for ours.
  await waitFor(() => seenA.closes.slice(closesBefore).some((c) => c.code === 1000), 'the upstream socket to close');
  expect(seenA.closes.slice(closesBefore)).toContainEqual({ code: 1000, reason: 'Normal Closure' });
});

test('rejects an invalid operation with GRAPHQL_VALIDATION_FAILED without opening an upstream', async () => {
  const connectsBefore = seenA.connectionParams.length;
  const result = await subscribe('subscription { ticks(n: 1) { nope } }');
  expect(Symbol.asyncIterator in result).toBe(false);
  expect(json(result)).toEqual({
    errors: [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })],
  });
  const badVariables = await subscribe('subscription ($n: Int!) { ticks(n: $n) { seq } }', { n: 'x' });
  expect(json(badVariables)).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })] });
  expect(seenA.connectionParams.length).toBe(connectsBefore);
});

test('reports errors from the rest plan with the real service name, keeping their codes', async () => {
  const results = await collect(
    await iterate('subscription { ticks(n: 2, ownerId: "boom") { seq owner { id name } } }'),
  );
  expect(results).toHaveLength(2);
  for (const result of json(results)) {
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'name unavailable',
        path: ['ticks', 'owner', 'name'],
        extensions: expect.objectContaining({ code: 'NAME_UNAVAILABLE', serviceName: 'b' }),
      }),
    ]);
  }
});

test('reports field errors in events of the primary subgraph under its own name, not "__event"', async () => {
  const results = json(await collect(await iterate('subscription { ticks(n: 2) { seq label } }')));
  expect(results[0]).toEqual({ data: { ticks: { seq: 1, label: 'tick 1' } } });
  expect(results[1]).toEqual({
    data: { ticks: { seq: 2, label: null } },
    errors: [
      expect.objectContaining({
        message: 'label unavailable',
        path: ['ticks', 'label'],
        extensions: expect.objectContaining({ code: 'LABEL_UNAVAILABLE', serviceName: 'a' }),
      }),
    ],
  });
});

test('reports a failing subscribe resolver of the primary subgraph under its own name', async () => {
  const results = json(await collect(await iterate('subscription { ticks(n: 0) { seq } }')));
  expect(results).toHaveLength(1);
  expect(results[0].errors).toEqual([
    expect.objectContaining({
      message: 'n must be positive',
      extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', serviceName: 'a' }),
    }),
  ]);
});

test('a subgraph closing the socket ends the iterator with SUBGRAPH_UNAVAILABLE', async () => {
  const iterator = await iterate('subscription { ticks(n: 1000, intervalMs: 5) { seq } }');
  await iterator.next();
  for (const socket of subgraphA.wss.clients) socket.close(4503, 'subgraph shutting down');
  const rest = json(await collect(iterator));
  expect(rest.at(-1)).toEqual({
    errors: [
      expect.objectContaining({
        message: 'Subgraph "a" closed the subscription (4503: subgraph shutting down)',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'a', closeCode: 4503 },
      }),
    ],
  });
  await waitFor(() => seenA.closes.some(({ code }) => code === 4503), 'the subgraph to record the close');
});

test('closeAll closes every upstream socket with the given code and ends the iterators', async () => {
  const iterators = await Promise.all([
    iterate('subscription { ticks(n: 1000, intervalMs: 5) { seq } }'),
    iterate('subscription { ticks(n: 1000, intervalMs: 5) { seq owner { name } } }'),
  ]);
  await Promise.all(iterators.map((iterator) => iterator.next()));
  await executor.closeAll(1012, 'gateway restarting');
  for (const iterator of iterators) {
    const rest = await collect(iterator);
    expect(rest.every((result) => !result.errors)).toBe(true);
  }
  const restartCloses = () => seenA.closes.filter(({ code }) => code === 1012);
  await waitFor(() => restartCloses().length === 2, 'both upstream sockets to close');
  expect(restartCloses()).toEqual([
    { code: 1012, reason: 'gateway restarting' },
    { code: 1012, reason: 'gateway restarting' },
  ]);
});
