// startSubgraph: everything a subgraph needs besides its SDL, resolvers and domain services —
// assertion check, compiled shield, Apollo Server 5 over express 5, graphql-ws on the same path.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { useServer } from 'graphql-ws/use/ws';
import type { GraphQLSchema } from 'graphql';
import { readAuthzDeclarations, type FieldRule } from '../authz/directives';
import { applyAuthz, type AuthzContext } from '../authz/compile';
import { verifyAssertion, ASSERTION_HEADER, REQUEST_ID_HEADER } from '../assertion';
import { formatGraphQLError, TalosError } from '../errors';
import type { Logger } from '../logger';
import type { Principal } from '../principal';
import type { Runtime } from '../runtime';
import type { Scope, AuthzDecision } from '../policy/engine';
import { ServiceHost } from './host';
import { RequestLoaders } from '../batch-loader';

/** schemas/, found from this file in src/ or dist/ (three levels below the repo root). */
export const SCHEMAS_DIR = path.resolve(__dirname, '../../../../schemas');

export function readSubgraphSdl(name: string): string {
  return readFileSync(path.join(SCHEMAS_DIR, `${name}.graphql`), 'utf8');
}

/** Who performs a mutation, as the domain and the audit log need it. */
export interface Actor {
  principal: Principal;
  requestId: string;
}

/** The context every resolver receives. */
export interface SubgraphContext<TServices = unknown> extends AuthzContext {
  principal: Principal | null;
  requestId: string;
  logger: Logger;
  runtime: Runtime;
  services: TServices;
  /** Throws UNAUTHENTICATED when anonymous (resolvers behind @authz/@authenticated never are). */
  requirePrincipal(): Principal;
  /** The authenticated caller and this request's id (throws UNAUTHENTICATED when anonymous). */
  actor(): Actor;
  /** Per-request batch loaders (one query for many entities). */
  loaders: RequestLoaders;
}

export interface SubgraphDefinition<TServices = unknown> {
  name: string;
  resolvers: GraphQLResolverMap<SubgraphContext<TServices>>;
  /** Builds the domain services once per process (and starts workers); stop runs on shutdown. */
  services(runtime: Runtime): Promise<{ services: TServices; stop?: () => Promise<void> }>;
  /** SDL override for tests; defaults to schemas/<name>.graphql. */
  sdl?: string;
}

export interface BuiltSubgraphSchema {
  schema: GraphQLSchema;
  fields: FieldRule[];
}

export function buildAuthorizedSchema(sdl: string, resolvers: GraphQLResolverMap<never>): BuiltSubgraphSchema {
  const { fields, document } = readAuthzDeclarations(sdl);
  const schema = buildSubgraphSchema([{ typeDefs: document, resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  return { schema: applyAuthz(schema, fields), fields };
}

export interface RunningSubgraph {
  name: string;
  host: ServiceHost;
  url: string;
  stop(): Promise<void>;
}

export async function startSubgraph<TServices>(def: SubgraphDefinition<TServices>, runtime: Runtime, port: number): Promise<RunningSubgraph> {
  const { config } = runtime;
  const logger = runtime.logger.child({ service: def.name });
  const { schema } = buildAuthorizedSchema(def.sdl ?? readSubgraphSdl(def.name), def.resolvers as GraphQLResolverMap<never>);
  const { services, stop: stopServices } = await def.services(runtime);

  const requirePrincipal = (principal: Principal | null): Principal => {
    if (!principal) throw new TalosError('UNAUTHENTICATED', 'Authentication required');
    return principal;
  };
  const makeContext = (principal: Principal | null, requestId: string): SubgraphContext<TServices> => ({
    principal,
    requestId,
    logger,
    runtime,
    services,
    authorize: (permission: string, scope: Scope): Promise<AuthzDecision> => runtime.policy.decide(principal!, permission, scope),
    loaders: new RequestLoaders(),
    requirePrincipal: () => requirePrincipal(principal),
    actor: () => ({ principal: requirePrincipal(principal), requestId }),
  });

  const host = new ServiceHost({
    name: def.name,
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    readiness: { database: () => runtime.db.ping(), bus: () => runtime.bus.ping() },
  });

  const apollo = new ApolloServer<SubgraphContext<TServices>>({
    schema,
    formatError: formatGraphQLError(config.development),
    introspection: config.env !== 'production',
    csrfPrevention: true,
    // Shutdown is ours (ServiceHost): Apollo's own signal handler would race it and hang the exit.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.development,
    // Inline traces would hand resolver timings to whoever calls the subgraph.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  // Every HTTP request must carry a valid assertion bound to its request id — including
  // `_entities` and `_service` (subgraphs never trust a client directly).
  host.app.use('/graphql', express.json({ limit: '1mb' }), async (req, res, next) => {
    const requestId = req.header(REQUEST_ID_HEADER);
    try {
      const claims = await verifyAssertion(req.header(ASSERTION_HEADER), runtime.keys.assertionVerifyKey, requestId ?? '');
      res.locals.principal = claims.principal;
      res.locals.requestId = claims.requestId;
      next();
    } catch (err) {
      const e = err as TalosError;
      res.status(401).json({ errors: [{ message: e.message, extensions: { code: e.code, retryable: false } }] });
    }
  });
  host.app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ res }) => makeContext(res.locals.principal as Principal | null, res.locals.requestId as string),
    }),
  );

  const wsServer = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const params = ctx.connectionParams ?? {};
          // The request id is mandatory here too: without it an assertion could be reused on any socket.
          const claims = await verifyAssertion(params.assertion as string | undefined, runtime.keys.assertionVerifyKey, String(params.requestId ?? ''));
          (ctx.extra as { claims?: typeof claims }).claims = claims;
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      context: (ctx) => {
        const claims = (ctx.extra as unknown as { claims: { principal: Principal | null; requestId: string } }).claims;
        return makeContext(claims.principal, `${claims.requestId}:${randomUUID()}`);
      },
    },
    host.wss,
  );

  // The host has already closed the sockets (with SHUTDOWN_CLOSE_CODE) and the ws server, so
  // graphql-ws's dispose only has bookkeeping left and reports the closed server: ignore that.
  host.onClose(() => Promise.resolve().then(() => wsServer.dispose()).catch(() => undefined));
  host.onClose(() => apollo.stop());
  if (stopServices) host.onClose(stopServices);

  const actualPort = await host.listen(port, config.host);
  const url = `http://${config.host}:${actualPort}/graphql`;
  logger.info({ url }, 'subgraph listening');
  return { name: def.name, host, url, stop: () => host.stop() };
}
