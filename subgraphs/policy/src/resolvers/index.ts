// Thin resolvers: parse arguments, call the domain, map rows to the API shape.
import { AUDIT_TOPIC, busIterator, normalizePermission, listAuditEvents, verifyAuditChain, DateTimeScalar, JSONScalar, type AuditRecord, type Scope, type SubgraphContext } from '@talos/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { PolicyAdmin } from '../domain/policy-admin';
import { effectivePermissions, scopeOut } from '../domain/policy-admin';
import { toScope, validatePrincipalId, bad } from '../domain/validation';
import { PolicyStore, type BindingRow, type PrincipalRow, type TokenRow } from '../store/policy-store';

export interface PolicyServices {
  admin: PolicyAdmin;
}

type Ctx = SubgraphContext<PolicyServices>;


const bindingOut = (b: BindingRow) => ({
  id: b.id,
  principalId: b.principalId,
  role: b.role,
  scope: scopeOut({ scopeType: b.scopeType as Scope['scopeType'], attributes: b.scopeAttributes as Record<string, string> }),
  createdAt: b.createdAt,
});

const page = (first: number | null | undefined) => {
  const n = first ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 500) throw bad('first must be between 1 and 500', { field: 'first' });
  return n;
};



const auditOut = (e: AuditRecord) => e;

// `_entities` and lists resolve many principals at once: one query per request, not per entity.
const principalLoader = (ctx: Ctx) =>
  ctx.loaders.get('principal', async (ids: readonly string[]) => new Map((await PolicyStore.principalsByIds(ctx.runtime.db.read, ids)).map((p) => [p.id, p])));
const bindingsLoader = (ctx: Ctx) => ctx.loaders.get('bindings', (ids: readonly string[]) => PolicyStore.bindingsOf(ctx.runtime.db.read, ids));

export const resolvers: Resolvers<Ctx> = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  PrincipalType: { USER: 'user', SERVICE_ACCOUNT: 'service_account' },
  ScopeType: { GLOBAL: 'global', TEAM: 'team', REPO: 'repo', PATH: 'path', SECRET: 'secret', TRACE: 'trace', PRINCIPAL: 'principal', SESSION: 'session', GROUP: 'group' },
  Query: {
    me: async (_p, _a, ctx) => {
      const principal = ctx.requirePrincipal();
      const bindings = await PolicyStore.bindings(ctx.runtime.db.read, principal.id);
      return {
        id: principal.id,
        principal: await PolicyStore.principal(ctx.runtime.db.read, principal.id),
        effectivePermissions: effectivePermissions(bindings, principal.permissions),
        tokenPermissions: principal.permissions ?? null,
        bindings: bindings.map(bindingOut),
      };
    },
    principal: (_p, { id }, ctx) => PolicyStore.principal(ctx.runtime.db.read, validatePrincipalId(id, 'id')),
    principals: (_p, { first, after }, ctx) => PolicyStore.principals(ctx.runtime.db.read, page(first), after ?? undefined),
    roles: (_p, _a, ctx) => PolicyStore.roles(ctx.runtime.db.read),
    role: (_p, { id }, ctx) => PolicyStore.role(ctx.runtime.db.read, id),
    bindings: async (_p, { principalId }, ctx) => ({
      principalId,
      bindings: (await PolicyStore.bindings(ctx.runtime.db.read, validatePrincipalId(principalId))).map(bindingOut),
    }),
    authorize: async (_p, { principalId, permission, scope }, ctx) => {
      const { policy } = await ctx.runtime.policy.policyFor(validatePrincipalId(principalId));
      const decision = policy.decide(normalizePermission(permission), toScope(scope));
      return { ...decision, requestScope: scopeOut(decision.requestScope) };
    },
    auditEvents: async (_p, { chain, first, afterSeq }, ctx) =>
      (await listAuditEvents(ctx.runtime.db.read, chain, { first: page(first), afterSeq: afterSeq ?? undefined })).map(auditOut),
    issuedTokens: async (_p, { principalId, first }, ctx) => PolicyStore.tokensOf(ctx.runtime.db.read, validatePrincipalId(principalId), page(first)),
    verifyAuditChain: async (_p, { chain }, ctx) => ({ chain, ...(await verifyAuditChain(ctx.runtime.db.read, chain)) }),
  },
  Mutation: {
    upsertPrincipal: (_p, { input }, ctx) => ctx.services.admin.upsertPrincipal(ctx.actor(), input),
    upsertRole: (_p, { input }, ctx) => ctx.services.admin.upsertRole(ctx.actor(), input),
    deleteRole: (_p, { id }, ctx) => ctx.services.admin.deleteRole(ctx.actor(), id),
    setBindings: async (_p, { principalId, bindings }, ctx) => ({
      principalId,
      bindings: (await ctx.services.admin.setBindings(ctx.actor(), principalId, bindings)).map(bindingOut),
    }),
    issueToken: (_p, { input }, ctx) => ctx.services.admin.issueToken(ctx.actor(), input),
    revokeToken: (_p, { tokenId }, ctx) =>
      ctx.services.admin.revokeToken(ctx.actor(), tokenId, async (principalId) =>
        (await ctx.authorize('policy:tokens:revoke', { scopeType: 'principal', attributes: { id: principalId } })).allowed,
      ),
  },
  Subscription: {
    auditEvents: {
      subscribe: (_p: unknown, { chain }: { chain?: string | null }, ctx: Ctx) =>
        busIterator<AuditRecord>(ctx.runtime.bus, AUDIT_TOPIC, (e) => !chain || e.chain === chain),
      resolve: (e: AuditRecord) => e,
    },
  },
  TokenRecord: {
    tokenId: (t: TokenRow) => t.id,
    permissions: (t: TokenRow) => (t.permissions.length ? t.permissions : null),
  },
  Principal: {
    __resolveReference: async (ref: { id: string }, ctx: Ctx) => (await principalLoader(ctx).load(ref.id)) ?? null,
    roles: async (p: PrincipalRow, _a: unknown, ctx: Ctx) => {
      const bindings = (await bindingsLoader(ctx).load(p.id)) ?? [];
      return [...new Map(bindings.map((b) => [b.role.id, b.role])).values()];
    },
    bindings: async (p: PrincipalRow, _a: unknown, ctx: Ctx) => ((await bindingsLoader(ctx).load(p.id)) ?? []).map(bindingOut),
  },
};
