// Authz compiler: SDL declarations → graphql-shield rule map (deny by default; federation
// internals allowed explicitly, their safety comes from the assertion check and entity rules).
import { GraphQLError, defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { shield, rule, allow, type IRules } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import { TalosError, ErrorCode } from '../errors';
import type { Principal } from '../principal';
import type { AuthzDecision, Scope } from '../policy/engine';
import type { AuthzRuleSpec, FieldRule, Template } from './directives';

/** What a rule needs from the request context. */
export interface AuthzContext {
  principal: Principal | null;
  authorize(permission: string, scope: Scope): Promise<AuthzDecision>;
}

function lookup(root: unknown, path: string[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Resolves a template to a scope value; undefined means it could not be derived (→ deny). */
export function resolveTemplate(t: Template, parent: unknown, args: unknown, principal: Principal): string | undefined {
  if (t.kind === 'literal') return t.value;
  if (t.kind === 'principal') return principal.id;
  const v = lookup(t.kind === 'args' ? args : parent, t.path);
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

const unauthenticated = () => new TalosError(ErrorCode.UNAUTHENTICATED, 'Authentication required');

/** Evaluates one declared rule; returns true or the error to show. Exported for the tests. */
export async function evaluateRule(spec: AuthzRuleSpec, parent: unknown, args: unknown, ctx: AuthzContext): Promise<true | TalosError> {
  if (spec.kind === 'public') return true;
  const principal = ctx.principal;
  if (!principal) return unauthenticated();
  if (spec.kind === 'authenticated') return true;
  if (spec.allowSelf && resolveTemplate(spec.allowSelf, parent, args, principal) === principal.id) return true;
  const attributes: Record<string, string> = {};
  for (const key in spec.attributes) {
    const value = resolveTemplate(spec.attributes[key], parent, args, principal);
    // Fail closed: a scope that cannot be derived denies (fixes reference §10.7's "unknown").
    if (value === undefined) {
      return new TalosError(ErrorCode.FORBIDDEN, `Access scope could not be derived for ${spec.permission}`, { permission: spec.permission, attribute: key });
    }
    attributes[key] = value;
  }
  const decision = await ctx.authorize(spec.permission, { scopeType: spec.scopeType, attributes });
  if (decision.allowed) return true;
  return new TalosError(decision.reasonCode, `Missing permission ${spec.permission}`, { permission: spec.permission, scopeType: spec.scopeType });
}

function usesRequestData(spec: AuthzRuleSpec): boolean {
  if (spec.kind !== 'authz') return false;
  const templates = [...Object.values(spec.attributes), ...(spec.allowSelf ? [spec.allowSelf] : [])];
  return templates.some((t) => t.kind === 'args' || t.kind === 'parent');
}

export function compileRules(fields: FieldRule[], schema?: GraphQLSchema): IRules {
  const rules: Record<string, Record<string, ReturnType<ReturnType<typeof rule>> | typeof allow>> = {
    Query: { _service: allow },
    _Service: { sdl: allow },
  };
  // `_entities` exists only when the subgraph declares an entity.
  if (!schema || schema.getQueryType()?.getFields()._entities) rules.Query._entities = allow;
  const bySpec = new Map<string, ReturnType<ReturnType<typeof rule>>>();
  for (const f of fields) {
    const key = JSON.stringify(f.rule);
    let compiled = bySpec.get(key);
    if (!compiled) {
      const spec = f.rule;
      // Rules reading args/parent must be evaluated per field; the others once per request.
      const cache = usesRequestData(spec) ? 'no_cache' : 'contextual';
      compiled = rule(`talos:${bySpec.size}`, { cache })((parent, args, ctx) => evaluateRule(spec, parent, args, ctx as AuthzContext));
      bySpec.set(key, compiled);
    }
    (rules[f.typeName] ??= {})[f.fieldName] = compiled;
  }
  return rules as IRules;
}

export const FORBIDDEN_FALLBACK = () =>
  new GraphQLError('Not authorised: no rule allows this field', { extensions: { code: ErrorCode.FORBIDDEN, retryable: false } });

/**
 * graphql-middleware wraps only `resolve` when a subscription field has both `resolve` and
 * `subscribe`, so the stream would open unchecked (denial only on the first event). Check the
 * rule before the stream is created as well.
 */
function guardSubscriptions(schema: GraphQLSchema, fields: FieldRule[]): void {
  const type = schema.getSubscriptionType();
  if (!type) return;
  for (const field of Object.values(type.getFields())) {
    const declared = fields.find((f) => f.typeName === type.name && f.fieldName === field.name);
    const subscribe = field.subscribe;
    if (!subscribe) continue;
    field.subscribe = async (parent, args, ctx, info) => {
      const verdict = declared ? await evaluateRule(declared.rule, parent, args, ctx as AuthzContext) : FORBIDDEN_FALLBACK();
      if (verdict !== true) return verdict;
      return subscribe(parent, args, ctx, info);
    };
  }
}

/**
 * Synchronous fast path for rules that need no RBAC decision (@public, @authenticated): the shield
 * wraps every field in an async middleware, which on lists of objects costs a promise per field
 * and ~45% of a subgraph's throughput (bench/src/spine.ts). Those fields get a plain resolver that
 * checks the same condition inline and throws the same error; @authz fields, undeclared fields
 * (fallback deny), federation internals and Subscription fields keep the shield.
 */
function syncDecisionFreeRules(original: GraphQLSchema, shielded: GraphQLSchema, fields: FieldRule[]): void {
  const subscriptionType = shielded.getSubscriptionType()?.name;
  for (const f of fields) {
    const kind = f.rule.kind;
    if ((kind !== 'public' && kind !== 'authenticated') || f.typeName === subscriptionType) continue;
    const sourceType = original.getType(f.typeName);
    const targetType = shielded.getType(f.typeName);
    if (!isObjectType(sourceType) || !isObjectType(targetType)) continue;
    const source = sourceType.getFields()[f.fieldName];
    const target = targetType.getFields()[f.fieldName];
    if (!source || !target || source.subscribe || target.subscribe) continue;
    const resolve: GraphQLFieldResolver<unknown, unknown> = source.resolve ?? defaultFieldResolver;
    target.resolve =
      kind === 'public'
        ? resolve
        : (parent, args, ctx, info) => {
            if (!(ctx as AuthzContext | null | undefined)?.principal) throw unauthenticated();
            return resolve(parent, args, ctx, info);
          };
  }
}

/** Wraps a built subgraph schema with the compiled shield. */
export function applyAuthz(schema: GraphQLSchema, fields: FieldRule[]): GraphQLSchema {
  const shielded = applyMiddleware(
    schema,
    shield(compileRules(fields, schema), {
      fallbackRule: rule('talos:deny', { cache: 'contextual' })(() => false),
      fallbackError: FORBIDDEN_FALLBACK,
      allowExternalErrors: true,
      debug: false,
    }),
  );
  guardSubscriptions(shielded, fields);
  syncDecisionFreeRules(schema, shielded, fields);
  return shielded;
}
