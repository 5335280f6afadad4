// The gateway: authenticates bearer tokens, rate-limits per principal, strips client x-talos-*
// headers, signs the principal assertion and executes federated plans — queries and mutations
// over HTTP and WebSocket through @apollo/gateway, subscriptions through the federated executor.
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Supergraph } from '@apollo/federation-internals';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocket } from 'ws';
import { GraphQLError, parse, print, getOperationAST, type ExecutionResult, type ExecutionArgs } from 'graphql';
import { ServiceHost, SHUTDOWN_CLOSE_CODE, SHUTDOWN_CLOSE_REASON, RevocationList, TalosError, ErrorCode, createTokenVerifier, formatGraphQLError, type Principal, type Runtime } from '@talos/kit';
import { FederatedSubscriptionExecutor } from './subscriptions';
import { checkDocument, checkDocumentSize, limitError } from './limits';
import { newContext, subgraphHeaders, type GatewayContext } from './principal-assertion';
import { exampleOperations, renderOfflineGraphiql } from './landing';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph HTTP URLs by name; overrides the URLs recorded in the supergraph. */
  subgraphUrls?: Record<string, string>;
  port: number;
  /** Shown preloaded in the development landing pages. */
  devToken?: string;
}

export interface RunningGateway {
  host: ServiceHost;
  url: string;
  stop(): Promise<void>;
}

function subgraphUrlsFrom(supergraphSdl: string, overrides: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sg of Supergraph.build(supergraphSdl).subgraphs()) out[sg.name] = overrides[sg.name] ?? sg.url;
  return out;
}

function bearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header.trim());
  if (!m) throw new TalosError(ErrorCode.UNAUTHENTICATED, 'Authorization header must be "Bearer <token>"');
  return m[1];
}

function errorBody(err: GraphQLError | TalosError) {
  const e = err instanceof TalosError ? err.toGraphQLError() : err;
  const { http: _http, ...extensions } = e.extensions as Record<string, unknown>;
  return { errors: [{ message: e.message, extensions }] };
}

export async function startGateway(runtime: Runtime, opts: GatewayOptions): Promise<RunningGateway> {
  const { config } = runtime;
  const logger = runtime.logger.child({ service: 'gateway' });
  const verifyToken = createTokenVerifier(runtime.keys.tokenJwks, { issuer: config.issuer, audience: config.audience });
  const urls = subgraphUrlsFrom(opts.supergraphSdl, { ...(opts.subgraphUrls ?? {}), ...config.subgraphUrls });

  const revocations = new RevocationList();
  await revocations.start(runtime.db.write, runtime.bus);
  const authenticate = async (authorization: string | undefined): Promise<Principal | null> => {
    const token = bearer(authorization);
    if (!token) return null;
    const principal = await verifyToken(token);
    if (revocations.isRevoked(principal.tokenId)) throw new TalosError('AUTH_REVOKED', 'Token has been revoked');
    return principal;
  };

  // Redis counters, or local ones when Redis is unavailable (the limiter must not take the API down).
  const localCounts = new Map<string, { window: number; count: number }>();
  const rateLimited = async (key: string): Promise<boolean> => {
    let count: number;
    try {
      count = await runtime.bus.hit(`gw:${key}`, 60_000);
    } catch {
      const window = Math.floor(Date.now() / 60_000);
      const e = localCounts.get(key);
      if (!e && localCounts.size >= 100_000) localCounts.clear(); // bounded memory while Redis is away
      count = e && e.window === window ? ++e.count : (localCounts.set(key, { window, count: 1 }), 1);
    }
    return count > config.rateLimitPerMinute;
  };

  const gateway = new ApolloGateway({
    supergraphSdl: opts.supergraphSdl,
    buildService: ({ name }) =>
      new (class extends RemoteGraphQLDataSource<GatewayContext> {
        override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
          if (!request.http) return;
          // Start from a clean slate: only the gateway's own x-talos-* headers reach subgraphs.
          for (const [key] of request.http.headers) if (key.toLowerCase().startsWith('x-talos-')) request.http.headers.delete(key);
          const ctx = (context as GatewayContext | undefined) ?? newContext(null);
          for (const [k, v] of Object.entries(await subgraphHeaders(runtime, ctx))) request.http.headers.set(k, v);
        }
      })({ url: urls[name] }),
  });

  const subscriptions = new FederatedSubscriptionExecutor({
    supergraphSdl: opts.supergraphSdl,
    subgraphWsUrls: Object.fromEntries(Object.entries(urls).map(([n, u]) => [n, u.replace(/^http/, 'ws')])),
    // Runs once per event, possibly long after the subscription began: every fetch gets its own
    // request id and a freshly signed (short-lived) assertion.
    fetchSubgraph: async (serviceName, request, context) => {
      const parent = context as GatewayContext;
      const res = await fetch(urls[serviceName], {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await subgraphHeaders(runtime, newContext(parent.principal, parent.traceparent))) },
        body: JSON.stringify(request),
      });
      return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    },
  });

  const host = new ServiceHost({
    name: 'gateway',
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    readiness: {
      bus: () => runtime.bus.ping(),
      ...Object.fromEntries(
        Object.entries(urls).map(([name, url]) => [
          `subgraph:${name}`,
          async () => (await fetch(url.replace(/\/graphql$/, '/health/ready'), { signal: AbortSignal.timeout(2000) })).ok,
        ]),
      ),
    },
  });

  const document = exampleOperations();
  const limitsPlugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document: doc }) {
          const err = checkDocument(doc, config.limits);
          if (err) throw err;
        },
      };
    },
  };
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGraphQLError(config.development),
    introspection: config.env !== 'production',
    csrfPrevention: true,
    // Shutdown is ours (ServiceHost): Apollo's own signal handler would race it and hang the exit.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: config.limits.maxBatch > 1,
    includeStacktraceInErrorResponses: config.development,
    plugins: [
      limitsPlugin,
      config.development
        ? ApolloServerPluginLandingPageLocalDefault({
            embed: true,
            document: document || undefined,
            headers: opts.devToken ? { Authorization: `Bearer ${opts.devToken}` } : undefined,
          })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  if (config.development) {
    host.app.get('/graphiql', (_req, res) => {
      res.type('html').send(renderOfflineGraphiql({ token: opts.devToken, document }));
    });
  }

  host.app.use('/graphql', express.json({ limit: Math.max(config.limits.maxDocumentBytes * 4, 100_000) }), async (req, res, next) => {
    if (req.method !== 'POST' && req.method !== 'GET') return next();
    try {
      const body = req.body as unknown;
      if (Array.isArray(body) && body.length > config.limits.maxBatch) {
        throw limitError(`At most ${config.limits.maxBatch} operation(s) per request`, 'batch', config.limits.maxBatch);
      }
      for (const op of Array.isArray(body) ? body : [body ?? req.query]) {
        const sizeError = checkDocumentSize((op as { query?: unknown } | undefined)?.query, config.limits);
        if (sizeError) throw sizeError;
      }
      const principal = await authenticate(req.header('authorization'));
      if (await rateLimited(principal ? `p:${principal.id}` : `ip:${req.ip}`)) {
        throw new TalosError(ErrorCode.RATE_LIMITED, 'Rate limit exceeded; retry after a minute', { limitPerMinute: config.rateLimitPerMinute }, true);
      }
      res.locals.context = newContext(principal, req.header('traceparent'));
      next();
    } catch (err) {
      const status = err instanceof TalosError ? (err.code === ErrorCode.RATE_LIMITED ? 429 : 401) : 400;
      if (err instanceof TalosError || err instanceof GraphQLError) {
        res.status(status).json(errorBody(err));
        return;
      }
      next(err);
    }
  });
  host.app.use('/graphql', expressMiddleware(apollo, { context: async ({ res }) => res.locals.context as GatewayContext }));

  // A revoked token loses its open sockets too (4401 Unauthorized), not only its next request.
  const socketsByToken = new Map<string, Set<WebSocket>>();
  const trackSocket = (tokenId: string, socket: WebSocket) => {
    let set = socketsByToken.get(tokenId);
    if (!set) socketsByToken.set(tokenId, (set = new Set()));
    set.add(socket);
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0) socketsByToken.delete(tokenId);
    });
  };
  revocations.onRevoked(({ tokenId }) => {
    for (const socket of socketsByToken.get(tokenId) ?? []) socket.close(4401, 'token revoked');
  });

  const apiSchema = Supergraph.build(opts.supergraphSdl).apiSchema().toGraphQLJSSchema();
  const wsServer = useServer<Record<string, unknown>, { principal?: Principal | null }>(
    {
      schema: apiSchema,
      onConnect: async (ctx) => {
        try {
          const auth = ctx.connectionParams?.Authorization ?? ctx.connectionParams?.authorization;
          const principal = await authenticate(typeof auth === 'string' ? auth : undefined);
          ctx.extra.principal = principal;
          if (principal?.tokenId) trackSocket(principal.tokenId, (ctx.extra as unknown as { socket: WebSocket }).socket);
          return true;
        } catch {
          return false; // 4403 Forbidden
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const sizeError = checkDocumentSize(payload.query, config.limits);
        if (sizeError) return [sizeError];
        const key = ctx.extra.principal ? `p:${ctx.extra.principal.id}` : `ws:${(ctx.extra as { request?: { socket?: { remoteAddress?: string } } }).request?.socket?.remoteAddress}`;
        if (await rateLimited(key)) return [new TalosError(ErrorCode.RATE_LIMITED, 'Rate limit exceeded; retry after a minute', undefined, true).toGraphQLError()];
        let doc;
        try {
          doc = parse(payload.query);
        } catch (err) {
          return [new GraphQLError((err as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const limitErr = checkDocument(doc, config.limits);
        if (limitErr) return [limitErr];
        return undefined;
      },
      context: (ctx) => newContext(ctx.extra.principal ?? null),
      execute: (async (args: ExecutionArgs) => {
        const response = await apollo.executeOperation(
          { query: print(args.document), variables: args.variableValues as Record<string, unknown> | undefined, operationName: args.operationName ?? undefined },
          { contextValue: args.contextValue as GatewayContext },
        );
        if (response.body.kind !== 'single') return { errors: [new GraphQLError('Incremental delivery is not supported', { extensions: { code: 'BAD_REQUEST' } })] };
        return response.body.singleResult;
      }) as never,
      subscribe: (async (args: ExecutionArgs) => {
        const ctx = args.contextValue as GatewayContext;
        const op = getOperationAST(args.document, args.operationName);
        if (!op || op.operation !== 'subscription') return { errors: [new GraphQLError('Not a subscription', { extensions: { code: 'BAD_REQUEST' } })] };
        const headers = await subgraphHeaders(runtime, ctx);
        return subscriptions.subscribe({
          document: args.document,
          variables: args.variableValues as Record<string, unknown> | undefined,
          operationName: args.operationName ?? undefined,
          context: ctx,
          socket: { connectionParams: { assertion: headers['x-talos-assertion'], requestId: ctx.requestId } },
        });
      }) as never,
    },
    host.wss,
  );

  host.onClose(() => subscriptions.closeAll(SHUTDOWN_CLOSE_CODE, SHUTDOWN_CLOSE_REASON));
  // Sockets and the ws server are already closed by the host; dispose only reports that.
  host.onClose(() => Promise.resolve().then(() => wsServer.dispose()).catch(() => undefined));
  host.onClose(() => apollo.stop());
  host.onClose(() => revocations.close());

  const port = await host.listen(opts.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return { host, url, stop: () => host.stop() };
}
