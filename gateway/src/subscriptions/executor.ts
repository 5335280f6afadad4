import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  print,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { Supergraph, operationFromDocument, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import { errorResult, upstreamEndErrors, withExtensions } from './errors';
import { PlanCache } from './planCache';
import { ResultQueue } from './resultQueue';
import { openUpstream, type Upstream } from './upstream';

export interface SubgraphSocketOptions {
  /** connectionParams sent in connection_init to the owning subgraph (the gateway puts its signed principal assertion here). */
  connectionParams: Record<string, unknown>;
}

export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface FederatedSubscriptionExecutorOptions {
  supergraphSdl: string;
  /** ws:// URL of each subgraph's graphql-ws endpoint, by subgraph name as in the supergraph (join__Graph name, e.g. "policy"). */
  subgraphWsUrls: Record<string, string>;
  /** Runs entity fetches for the `rest` plan, i.e. the same HTTP data sources the ApolloGateway uses (pass a function so the gateway can add headers/assertions). */
  fetchSubgraph: (
    serviceName: string,
    request: SubgraphRequest,
    context: unknown,
  ) => Promise<{ data?: any; errors?: any[] }>;
}

export interface SubscribeArgs {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  context: unknown;
  socket: SubgraphSocketOptions;
}

type OperationContext = ReturnType<typeof buildOperationContext>;
type GatewayRequestContext = Parameters<typeof executeQueryPlan>[2];

/** Pseudo-service whose "fetch" returns the upstream event; renamed back in errors. */
const EVENT_SERVICE = '__event';
const PLAN_CACHE_SIZE = 500;
/** Events held for one slow subscriber before its stream is ended. */
const MAX_BUFFERED_EVENTS = 1000;

interface PreparedSubscription {
  primary: FetchNode;
  /** Run once per event: the primary fetch answered by the event itself, then the `rest` plan. */
  eventPlan: QueryPlan;
  operationContext: OperationContext;
}

interface ActiveSubscription {
  queue: ResultQueue<ExecutionResult>;
  upstream: Upstream;
}

export class FederatedSubscriptionExecutor {
  private readonly apiSchema: Schema;
  private readonly apiGraphQLSchema: GraphQLSchema;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly queryPlanner: QueryPlanner;
  private readonly serviceMap: ServiceMap = Object.create(null);
  private readonly plans = new PlanCache<PreparedSubscription>(PLAN_CACHE_SIZE);
  private readonly active = new Set<ActiveSubscription>();

  constructor(private readonly opts: FederatedSubscriptionExecutorOptions) {
    const supergraph = Supergraph.build(opts.supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.apiGraphQLSchema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.queryPlanner = new QueryPlanner(supergraph);
    for (const { name } of supergraph.subgraphsMetadata()) {
      this.serviceMap[name] = {
        process: ({ request, context }) =>
          opts
            .fetchSubgraph(
              name,
              { query: request.query ?? '', variables: request.variables, operationName: request.operationName },
              context,
            )
            // executeQueryPlan would keep a thrown error as a bare Error without serviceName.
            .catch((error: unknown) => ({
              errors: [
                {
                  message: `Fetch from subgraph "${name}" failed: ${error instanceof Error ? error.message : String(error)}`,
                  extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
                },
              ],
            })),
      };
    }
  }

  async subscribe(args: SubscribeArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const { document, operationName } = args;
    const validationErrors = validate(this.apiGraphQLSchema, document);
    if (validationErrors.length > 0) {
      return { errors: validationErrors.map((e) => withExtensions(e, { code: 'GRAPHQL_VALIDATION_FAILED' })) };
    }
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return errorResult(
        operationName
          ? `Unknown operation named "${operationName}".`
          : 'Must provide operation name if query contains multiple operations.',
        'OPERATION_RESOLUTION_FAILURE',
      );
    }
    if (operation.operation !== 'subscription') {
      return errorResult(`Expected a subscription, got a ${operation.operation}.`, 'BAD_REQUEST');
    }
    const { errors: variableErrors } = getVariableValues(
      this.apiGraphQLSchema,
      operation.variableDefinitions ?? [],
      args.variables ?? {},
    );
    if (variableErrors) {
      return { errors: variableErrors.map((e) => withExtensions(e, { code: 'BAD_USER_INPUT' })) };
    }

    let prepared: PreparedSubscription;
    try {
      prepared = this.prepare(document, operationName);
    } catch (error) {
      return {
        errors: [
          new GraphQLError('Failed to plan the subscription.', {
            originalError: error instanceof Error ? error : undefined,
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          }),
        ],
      };
    }
    const serviceName = prepared.primary.serviceName;
    const url = this.opts.subgraphWsUrls[serviceName];
    if (!url) {
      return errorResult(`No WebSocket URL configured for subgraph "${serviceName}".`, 'SUBGRAPH_UNAVAILABLE', {
        serviceName,
      });
    }
    return this.start(prepared, url, args);
  }

  async closeAll(code: number, reason: string): Promise<void> {
    const closing = [...this.active];
    this.active.clear();
    await Promise.all(
      closing.map(({ queue, upstream }) => {
        queue.end();
        return upstream.close(code, reason);
      }),
    );
  }

  private prepare(document: DocumentNode, operationName: string | undefined): PreparedSubscription {
    // print() rather than loc.source: a rewritten document can keep its original's loc.
    const key = JSON.stringify([operationName ?? null, print(document)]);
    const cached = this.plans.get(key);
    if (cached) return cached;

    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const plan = this.queryPlanner.buildQueryPlan(operation);
    if (plan.node?.kind !== 'Subscription') {
      throw new Error(`Expected a Subscription plan node, got ${plan.node?.kind ?? 'none'}`);
    }
    const { primary, rest } = plan.node;
    const eventFetch: FetchNode = { ...primary, serviceName: EVENT_SERVICE };
    const prepared: PreparedSubscription = {
      primary,
      eventPlan: { kind: 'QueryPlan', node: rest ? { kind: 'Sequence', nodes: [eventFetch, rest] } : eventFetch },
      operationContext: buildOperationContext({ schema: this.apiGraphQLSchema, operationDocument: document, operationName }),
    };
    this.plans.set(key, prepared);
    return prepared;
  }

  private start(prepared: PreparedSubscription, url: string, args: SubscribeArgs): AsyncIterableIterator<ExecutionResult> {
    const { primary } = prepared;
    const variables: Record<string, unknown> = {};
    for (const name of primary.variableUsages ?? []) {
      if (args.variables?.[name] !== undefined) variables[name] = args.variables[name];
    }

    const active = {} as ActiveSubscription;
    active.queue = new ResultQueue<ExecutionResult>(
      () => {
        this.active.delete(active);
        active.upstream.unsubscribe();
      },
      MAX_BUFFERED_EVENTS,
      () => errorResult('The client fell too far behind; resubscribe (from your last cursor)', 'SUBSCRIPTION_BUFFER_OVERFLOW', { retryable: true }),
    );
    // Events are executed one at a time so results keep the upstream order.
    let tail = Promise.resolve();
    const schedule = (step: () => void | Promise<void>): void => {
      tail = tail.then(step);
    };
    active.upstream = openUpstream(
      url,
      args.socket.connectionParams,
      { query: primary.operation, variables, operationName: primary.operationName },
      {
        next: (event) =>
          schedule(async () => {
            if (active.queue.isEnded) return;
            active.queue.push(await this.executeEvent(prepared, event, args));
          }),
        end: (end) =>
          schedule(() => {
            this.active.delete(active);
            const errors = upstreamEndErrors(end, primary.serviceName);
            if (errors.length > 0) active.queue.push({ errors });
            active.queue.end();
          }),
      },
    );
    this.active.add(active);
    return active.queue;
  }

  private async executeEvent(
    prepared: PreparedSubscription,
    event: FormattedExecutionResult<Record<string, unknown>, Record<string, unknown>>,
    args: SubscribeArgs,
  ): Promise<ExecutionResult> {
    const eventSource: GraphQLDataSource = { process: async () => event };
    // Only the fields executeQueryPlan reads; `metrics` must exist (it records error paths there).
    const requestContext = {
      request: { variables: args.variables ?? {}, operationName: args.operationName },
      context: args.context,
      metrics: {},
    } as unknown as GatewayRequestContext;
    try {
      const result = await executeQueryPlan(
        prepared.eventPlan,
        { ...this.serviceMap, [EVENT_SERVICE]: eventSource },
        requestContext,
        prepared.operationContext,
        this.supergraphSchema,
        this.apiSchema,
      );
      if (!result.errors) return result;
      const serviceName = prepared.primary.serviceName;
      return { ...result, errors: result.errors.map((error: unknown) => renameEventService(error, serviceName)) };
    } catch (error) {
      return {
        errors: [
          new GraphQLError('Failed to execute the subscription event.', {
            originalError: error instanceof Error ? error : undefined,
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          }),
        ],
      };
    }
  }
}

/** executeQueryPlan may also report bare Errors (e.g. malformed `_entities`); make every error a GraphQLError. */
function renameEventService(error: unknown, serviceName: string): GraphQLError {
  if (!(error instanceof GraphQLError)) {
    return new GraphQLError(error instanceof Error ? error.message : String(error), {
      originalError: error instanceof Error ? error : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  }
  return error.extensions.serviceName === EVENT_SERVICE ? withExtensions(error, { serviceName }) : error;
}
