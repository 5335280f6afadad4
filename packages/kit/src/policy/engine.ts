// PolicyEngine: the scope-aware RBAC decision (reference §1.3, seed Phase 7), pure and
// deterministic. A principal's bindings are compiled once; a decision then touches only the
// bindings whose role grants the permission.
import { PermissionSet, permissionCovers } from './permissions';

export const SCOPE_TYPES = ['global', 'team', 'repo', 'path', 'secret', 'trace', 'principal', 'session', 'group'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

export interface Scope {
  scopeType: ScopeType;
  attributes: Readonly<Record<string, string>>;
}

export const GLOBAL_SCOPE: Scope = Object.freeze({ scopeType: 'global', attributes: Object.freeze({}) });

export interface RoleDef {
  id: string;
  name: string;
  permissions: readonly string[];
}

export interface BindingEntry {
  bindingId: string;
  roleId: string;
  scope: Scope;
}

export type ReasonCode = 'RBAC_PERMISSION_ALLOWED' | 'RBAC_PERMISSION_DENIED' | 'RBAC_BINDING_NOT_FOUND' | 'RBAC_SCOPE_MISMATCH';

export interface AuthzDecision {
  allowed: boolean;
  reasonCode: ReasonCode;
  principalId: string;
  permission: string;
  requestScope: Scope;
  matchedRoleIds: string[];
  matchedBindingIds: string[];
  effectiveRoleId?: string;
  effectiveBindingId?: string;
}

/**
 * Scope match (§1.3 rules 1–3): a global binding matches anything with specificity 0; otherwise
 * the types must be equal and every binding attribute must be present on the request — `*` adds
 * 1, an exact value adds 2, anything else fails. Returns -1 for no match.
 */
export function scopeSpecificity(binding: Scope, request: Scope): number {
  if (binding.scopeType === 'global') return 0;
  if (binding.scopeType !== request.scopeType) return -1;
  let specificity = 0;
  for (const key in binding.attributes) {
    const want = binding.attributes[key];
    const have = request.attributes[key];
    if (have === undefined) return -1;
    if (want === '*') specificity += 1;
    else if (want === have) specificity += 2;
    else return -1;
  }
  return specificity;
}

/**
 * A binding's scope compiled for matching: the attribute keys and wanted values as arrays (what
 * `for...in` would visit, captured once). Same rules and result as scopeSpecificity.
 */
interface Candidate {
  bindingId: string;
  roleId: string;
  global: boolean;
  scopeType: ScopeType;
  keys: string[];
  wants: string[];
}

function compileCandidate(entry: BindingEntry): Candidate {
  const keys: string[] = [];
  const wants: string[] = [];
  for (const key in entry.scope.attributes) {
    keys.push(key);
    wants.push(entry.scope.attributes[key]);
  }
  return { bindingId: entry.bindingId, roleId: entry.roleId, global: entry.scope.scopeType === 'global', scopeType: entry.scope.scopeType, keys, wants };
}

function candidateSpecificity(c: Candidate, request: Scope): number {
  if (c.global) return 0;
  if (c.scopeType !== request.scopeType) return -1;
  const attributes = request.attributes;
  const keys = c.keys;
  let specificity = 0;
  for (let i = 0; i < keys.length; i++) {
    const have = attributes[keys[i]];
    if (have === undefined) return -1;
    const want = c.wants[i];
    if (want === '*') specificity += 1;
    else if (want === have) specificity += 2;
    else return -1;
  }
  return specificity;
}

// Decisions are built as plain literals with one fixed key order: `{ ...base, x }` takes a slow
// runtime path in V8 11 (Node 20) that cost ~90% of a decision (measured in bench/src/spine.ts).
function deniedDecision(
  principalId: string,
  permission: string,
  requestScope: Scope,
  reasonCode: ReasonCode,
  matchedRoleIds: string[],
  matchedBindingIds: string[],
): AuthzDecision {
  return { principalId, permission, requestScope, allowed: false, reasonCode, matchedRoleIds, matchedBindingIds };
}

/** One principal's bindings compiled against the role table; reusable for any number of decisions. */
export class CompiledPolicy {
  private readonly entries: BindingEntry[];
  private readonly compiled: Candidate[];
  private readonly roleSets: Map<string, PermissionSet>;
  private readonly candidates = new Map<string, Candidate[]>();

  constructor(
    readonly principalId: string,
    entries: readonly BindingEntry[],
    roles: readonly RoleDef[],
  ) {
    // Iteration order is binding id order so decisions never depend on storage order (rule 6).
    this.entries = [...entries].sort((a, b) => (a.bindingId < b.bindingId ? -1 : a.bindingId > b.bindingId ? 1 : 0));
    this.compiled = this.entries.map(compileCandidate);
    this.roleSets = new Map(roles.map((r) => [r.id, new PermissionSet(r.permissions)]));
  }

  get hasBindings(): boolean {
    return this.entries.length > 0;
  }

  private candidatesFor(permission: string): Candidate[] {
    let list = this.candidates.get(permission);
    if (!list) {
      list = [];
      for (const candidate of this.compiled) {
        // Bindings to unknown roles grant nothing (they cannot exist in the DB: FK restrict).
        if (this.roleSets.get(candidate.roleId)?.covers(permission)) list.push(candidate);
      }
      if (this.candidates.size > 1024) this.candidates.clear();
      this.candidates.set(permission, list);
    }
    return list;
  }

  /** Permissions granted by at least one binding, whatever its scope (for `me`). */
  effectivePermissions(roles: readonly RoleDef[]): string[] {
    const bound = new Set(this.entries.map((e) => e.roleId));
    const out = new Set<string>();
    for (const role of roles) if (bound.has(role.id)) for (const p of role.permissions) out.add(p);
    return [...out].sort();
  }

  decide(permission: string, requestScope: Scope): AuthzDecision {
    const principalId = this.principalId;
    if (this.entries.length === 0) {
      return deniedDecision(principalId, permission, requestScope, 'RBAC_BINDING_NOT_FOUND', [], []);
    }
    const candidates = this.candidatesFor(permission);
    if (candidates.length === 0) {
      return deniedDecision(principalId, permission, requestScope, 'RBAC_PERMISSION_DENIED', [], []);
    }
    const matchedRoleIds: string[] = [];
    const matchedBindingIds: string[] = [];
    let best: Candidate | undefined;
    let bestSpecificity = -1;
    for (let i = 0; i < candidates.length; i++) {
      const candidate = candidates[i];
      const s = candidateSpecificity(candidate, requestScope);
      if (s < 0) continue;
      matchedRoleIds.push(candidate.roleId);
      matchedBindingIds.push(candidate.bindingId);
      // Strictly greater: on ties the earlier (lexicographically smaller) binding id wins (rule 4).
      if (s > bestSpecificity) {
        best = candidate;
        bestSpecificity = s;
      }
    }
    if (!best) {
      return deniedDecision(principalId, permission, requestScope, 'RBAC_SCOPE_MISMATCH', matchedRoleIds, matchedBindingIds);
    }
    return {
      principalId,
      permission,
      requestScope,
      allowed: true,
      reasonCode: 'RBAC_PERMISSION_ALLOWED',
      matchedRoleIds,
      matchedBindingIds,
      effectiveRoleId: best.roleId,
      effectiveBindingId: best.bindingId,
    };
  }
}

/** Applies a token's permission narrowing: it can only take permissions away (issue #2 §5). */
export function narrowDecision(decision: AuthzDecision, narrowing: readonly string[] | undefined): AuthzDecision {
  if (!decision.allowed || narrowing === undefined) return decision;
  // Same test as `new PermissionSet(narrowing).covers(...)`, without building a set per call.
  for (let i = 0; i < narrowing.length; i++) if (permissionCovers(narrowing[i], decision.permission)) return decision;
  // Same keys and order as `{ ...decision, allowed, reasonCode, effectiveRoleId, effectiveBindingId }`
  // (spread-then-override is a slow path in V8 11).
  return {
    principalId: decision.principalId,
    permission: decision.permission,
    requestScope: decision.requestScope,
    allowed: false,
    reasonCode: 'RBAC_PERMISSION_DENIED',
    matchedRoleIds: decision.matchedRoleIds,
    matchedBindingIds: decision.matchedBindingIds,
    effectiveRoleId: undefined,
    effectiveBindingId: undefined,
  };
}
