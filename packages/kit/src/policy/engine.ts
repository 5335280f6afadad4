// PolicyEngine: the scope-aware RBAC decision (reference §1.3, seed Phase 7), pure and
// deterministic. A principal's bindings are compiled once; a decision then touches only the
// bindings whose role grants the permission.
import { PermissionSet } from './permissions';

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

interface Candidate {
  entry: BindingEntry;
}

/** One principal's bindings compiled against the role table; reusable for any number of decisions. */
export class CompiledPolicy {
  private readonly entries: BindingEntry[];
  private readonly roleSets: Map<string, PermissionSet>;
  private readonly candidates = new Map<string, Candidate[]>();

  constructor(
    readonly principalId: string,
    entries: readonly BindingEntry[],
    roles: readonly RoleDef[],
  ) {
    // Iteration order is binding id order so decisions never depend on storage order (rule 6).
    this.entries = [...entries].sort((a, b) => (a.bindingId < b.bindingId ? -1 : a.bindingId > b.bindingId ? 1 : 0));
    this.roleSets = new Map(roles.map((r) => [r.id, new PermissionSet(r.permissions)]));
  }

  get hasBindings(): boolean {
    return this.entries.length > 0;
  }

  private candidatesFor(permission: string): Candidate[] {
    let list = this.candidates.get(permission);
    if (!list) {
      list = [];
      for (const entry of this.entries) {
        // Bindings to unknown roles grant nothing (they cannot exist in the DB: FK restrict).
        if (this.roleSets.get(entry.roleId)?.covers(permission)) list.push({ entry });
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
    const base = { principalId: this.principalId, permission, requestScope };
    if (this.entries.length === 0) {
      return { ...base, allowed: false, reasonCode: 'RBAC_BINDING_NOT_FOUND', matchedRoleIds: [], matchedBindingIds: [] };
    }
    const candidates = this.candidatesFor(permission);
    if (candidates.length === 0) {
      return { ...base, allowed: false, reasonCode: 'RBAC_PERMISSION_DENIED', matchedRoleIds: [], matchedBindingIds: [] };
    }
    const matchedRoleIds: string[] = [];
    const matchedBindingIds: string[] = [];
    let best: BindingEntry | undefined;
    let bestSpecificity = -1;
    for (const { entry } of candidates) {
      const s = scopeSpecificity(entry.scope, requestScope);
      if (s < 0) continue;
      matchedRoleIds.push(entry.roleId);
      matchedBindingIds.push(entry.bindingId);
      // Strictly greater: on ties the earlier (lexicographically smaller) binding id wins (rule 4).
      if (s > bestSpecificity) {
        best = entry;
        bestSpecificity = s;
      }
    }
    if (!best) {
      return { ...base, allowed: false, reasonCode: 'RBAC_SCOPE_MISMATCH', matchedRoleIds, matchedBindingIds };
    }
    return {
      ...base,
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
  if (new PermissionSet(narrowing).covers(decision.permission)) return decision;
  return {
    ...decision,
    allowed: false,
    reasonCode: 'RBAC_PERMISSION_DENIED',
    effectiveRoleId: undefined,
    effectiveBindingId: undefined,
  };
}
