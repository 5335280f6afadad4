// What the gateway adds to every subgraph call: a fresh request id per client request, the signed
// principal assertion bound to it, and the W3C traceparent. Nothing client-sent named x-talos-*
// is ever forwarded (the data sources build subgraph headers from scratch).
import { randomUUID } from 'node:crypto';
import { signAssertion, ASSERTION_HEADER, REQUEST_ID_HEADER, type Principal, type Runtime } from '@talos/kit';

export interface GatewayContext {
  principal: Principal | null;
  requestId: string;
  traceparent?: string;
  /** Signed lazily once per request and reused for every subgraph fetch of that request. */
  assertion?: Promise<string>;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function newContext(principal: Principal | null, traceparent?: string): GatewayContext {
  return { principal, requestId: randomUUID(), ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}) };
}

export function assertionFor(runtime: Runtime, ctx: GatewayContext): Promise<string> {
  const signer = runtime.keys.assertionSigningKey;
  if (!signer) throw new Error('gateway has no assertion signing key');
  ctx.assertion ??= signAssertion(signer, { principal: ctx.principal, requestId: ctx.requestId }, runtime.config.assertionTtlSeconds);
  return ctx.assertion;
}

export async function subgraphHeaders(runtime: Runtime, ctx: GatewayContext): Promise<Record<string, string>> {
  return {
    [ASSERTION_HEADER]: await assertionFor(runtime, ctx),
    [REQUEST_ID_HEADER]: ctx.requestId,
    ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}),
  };
}
