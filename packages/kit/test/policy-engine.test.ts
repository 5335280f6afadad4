import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CompiledPolicy, narrowDecision, scopeSpecificity, type BindingEntry, type RoleDef, type Scope } from '../src/policy/engine';
import { normalizePermission, permissionCovers } from '../src/policy/permissions';
import { evaluateRule } from '../src/authz/compile';

const VECTORS = path.join(__dirname, '../../../test/vectors/talos/rbac');
const load = (name: string) => JSON.parse(readFileSync(path.join(VECTORS, name), 'utf8'));
const toScope = (s: { scope_type: string; attributes: Record<string, string> }): Scope => ({ scopeType: s.scope_type as Scope['scopeType'], attributes: s.attributes });

describe('scope matching — rbac/scope_match_vectors.json', () => {
  const { vectors } = load('scope_match_vectors.json');
  it.each(vectors as any[])('$id', (v) => {
    const s = scopeSpecificity(toScope(v.binding_scope), toScope(v.required_scope));
    expect(s >= 0).toBe(v.should_match);
    // Non-matches carry specificity 0 in the file; only a match's specificity is meaningful.
    if (v.should_match) expect(s).toBe(v.specificity);
  });

  it('a binding attribute missing from the request does not match', () => {
    expect(scopeSpecificity({ scopeType: 'repo', attributes: { repo: '*', path: 'a' } }, { scopeType: 'repo', attributes: { repo: 'x' } })).toBe(-1);
  });
  it('extra request attributes are ignored; a same-type binding without attributes matches with 0', () => {
    expect(scopeSpecificity({ scopeType: 'repo', attributes: {} }, { scopeType: 'repo', attributes: { repo: 'x' } })).toBe(0);
  });
  it('a global request is matched only by global bindings', () => {
    expect(scopeSpecificity({ scopeType: 'repo', attributes: {} }, { scopeType: 'global', attributes: {} })).toBe(-1);
    expect(scopeSpecificity({ scopeType: 'global', attributes: {} }, { scopeType: 'global', attributes: {} })).toBe(0);
  });
});

const roles: RoleDef[] = [
  { id: 'r-read', name: 'reader', permissions: ['secrets:read'] },
  { id: 'r-all', name: 'secrets-admin', permissions: ['secrets:*'] },
  { id: 'r-other', name: 'other', permissions: ['tools:call'] },
];
const repo = (attrs: Record<string, string>): Scope => ({ scopeType: 'secret', attributes: attrs });

describe('PolicyEngine decisions', () => {
  it('no binding document → RBAC_BINDING_NOT_FOUND (deny by default)', () => {
    const d = new CompiledPolicy('p', [], roles).decide('secrets:read', repo({ name: 'x' }));
    expect(d).toMatchObject({ allowed: false, reasonCode: 'RBAC_BINDING_NOT_FOUND', matchedBindingIds: [] });
  });

  it('no role grants the permission → RBAC_PERMISSION_DENIED', () => {
    const p = new CompiledPolicy('p', [{ bindingId: 'b1', roleId: 'r-other', scope: { scopeType: 'global', attributes: {} } }], roles);
    expect(p.decide('secrets:read', repo({ name: 'x' })).reasonCode).toBe('RBAC_PERMISSION_DENIED');
  });

  it('a role grants it but no scope matches → RBAC_SCOPE_MISMATCH', () => {
    const p = new CompiledPolicy('p', [{ bindingId: 'b1', roleId: 'r-read', scope: repo({ name: 'other' }) }], roles);
    expect(p.decide('secrets:read', repo({ name: 'x' }))).toMatchObject({ allowed: false, reasonCode: 'RBAC_SCOPE_MISMATCH' });
  });

  it('highest specificity wins; every match is listed in binding-id order', () => {
    const entries: BindingEntry[] = [
      { bindingId: 'b3', roleId: 'r-all', scope: { scopeType: 'global', attributes: {} } },
      { bindingId: 'b1', roleId: 'r-read', scope: repo({ name: '*' }) },
      { bindingId: 'b2', roleId: 'r-read', scope: repo({ name: 'x' }) },
    ];
    const d = new CompiledPolicy('p', entries, roles).decide('secrets:read', repo({ name: 'x' }));
    expect(d).toMatchObject({
      allowed: true,
      reasonCode: 'RBAC_PERMISSION_ALLOWED',
      effectiveBindingId: 'b2',
      effectiveRoleId: 'r-read',
      matchedBindingIds: ['b1', 'b2', 'b3'],
      matchedRoleIds: ['r-read', 'r-read', 'r-all'],
    });
  });

  it('ties are broken by the lexicographically smallest binding id, whatever the storage order', () => {
    const a: BindingEntry = { bindingId: 'b-9', roleId: 'r-read', scope: repo({ name: 'x' }) };
    const b: BindingEntry = { bindingId: 'b-1', roleId: 'r-all', scope: repo({ name: 'x' }) };
    for (const order of [[a, b], [b, a]]) {
      expect(new CompiledPolicy('p', order, roles).decide('secrets:read', repo({ name: 'x' })).effectiveBindingId).toBe('b-1');
    }
  });

  it('is deterministic: identical inputs give identical decisions', () => {
    const p = new CompiledPolicy('p', [{ bindingId: 'b1', roleId: 'r-read', scope: repo({ name: '*' }) }], roles);
    expect(p.decide('secrets:read', repo({ name: 'x' }))).toEqual(p.decide('secrets:read', repo({ name: 'x' })));
  });

  it('token narrowing only removes permissions', () => {
    const p = new CompiledPolicy('p', [{ bindingId: 'b1', roleId: 'r-all', scope: { scopeType: 'global', attributes: {} } }], roles);
    const allowed = p.decide('secrets:write', { scopeType: 'global', attributes: {} });
    expect(narrowDecision(allowed, ['secrets:read']).allowed).toBe(false);
    expect(narrowDecision(allowed, ['secrets:write']).allowed).toBe(true);
    expect(narrowDecision(allowed, undefined).allowed).toBe(true);
    const denied = p.decide('tools:call', { scopeType: 'global', attributes: {} });
    expect(narrowDecision(denied, ['*:*']).allowed).toBe(false);
  });
});

describe('permissions', () => {
  it('normalises ns.action to ns:action and rejects malformed ones', () => {
    expect(normalizePermission('secrets.read')).toBe('secrets:read');
    expect(normalizePermission('a2a:frame:send')).toBe('a2a:frame:send');
    for (const bad of ['secrets', 'Secrets:read', 'a:b:c:d', 'a:*:b', '', 'a b:c']) expect(() => normalizePermission(bad)).toThrow(/Invalid permission/);
  });
  it('wildcards stop at segment boundaries (fixes the reference prefix bug)', () => {
    expect(permissionCovers('llm:*', 'llm:invoke')).toBe(true);
    expect(permissionCovers('llm:*', 'llmfoo:invoke')).toBe(false);
    expect(permissionCovers('*:*', 'anything:at_all')).toBe(true);
    expect(permissionCovers('secrets:read', 'secrets:write')).toBe(false);
  });
});

describe('deny by default — rbac/deny_by_default.json', () => {
  const { tests } = load('deny_by_default.json');
  it.each(tests as any[])('$name', async (t) => {
    // Identities in the vector hold no bindings (empty scopes, revoked): nothing is granted.
    const permission = normalizePermission(t.action);
    const principal = t.identity ? { id: t.identity.principal_id } : null;
    const policy = new CompiledPolicy(t.identity?.principal_id ?? 'anonymous', [], roles);
    const result = await evaluateRule({ kind: 'authz', permission, scopeType: 'global', attributes: {} }, {}, {}, {
      principal,
      authorize: async (perm, scope) => policy.decide(perm, scope),
    });
    expect(t.expected).toBe('deny');
    expect(result).not.toBe(true);
    expect((result as { code: string }).code).toBe(principal ? 'RBAC_BINDING_NOT_FOUND' : 'UNAUTHENTICATED');
  });
});
