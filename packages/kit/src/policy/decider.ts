// The engine embedded in every service: loads a principal's bindings from the policy tables on
// first use, caches the compiled policy, and drops cache entries when the policy subgraph
// publishes a change on the bus (fixes reference §10.6: edits visible without restart).
import type { Bus } from '../bus';
import type { PrismaClient } from '../db';
import type { Principal } from '../principal';
import { CompiledPolicy, narrowDecision, GLOBAL_SCOPE, type AuthzDecision, type BindingEntry, type RoleDef, type Scope, type ScopeType } from './engine';

export const POLICY_CHANGED_TOPIC = 'policy.changed';

/** Bus message: either specific principals changed or (role edits) everything did. */
export interface PolicyChanged {
  principalIds?: string[];
  all?: boolean;
}

export interface LoadedPolicy {
  policy: CompiledPolicy;
  roles: RoleDef[];
}

export type PolicyLoader = (principalId: string) => Promise<LoadedPolicy>;

/** Loads from the primary: a replica could still serve the pre-change bindings after the bus event. */
export function prismaPolicyLoader(db: PrismaClient): PolicyLoader {
  return async (principalId) => {
    const rows = await db.roleBinding.findMany({ where: { principalId }, include: { role: true } });
    const roles = new Map<string, RoleDef>();
    const entries: BindingEntry[] = rows.map((row) => {
      roles.set(row.role.id, { id: row.role.id, name: row.role.name, permissions: row.role.permissions });
      return {
        bindingId: row.id,
        roleId: row.roleId,
        scope: { scopeType: row.scopeType as ScopeType, attributes: (row.scopeAttributes ?? {}) as Record<string, string> },
      };
    });
    const roleList = [...roles.values()];
    return { policy: new CompiledPolicy(principalId, entries, roleList), roles: roleList };
  };
}

export interface PolicyDeciderOptions {
  /** Safety net if a bus message is ever lost. */
  ttlMs?: number;
  maxEntries?: number;
}

export class PolicyDecider {
  private readonly cache = new Map<string, { loaded: Promise<LoadedPolicy>; at: number }>();
  /** Bumped on every invalidation so a load that raced with it is not cached. */
  private generation = 0;
  private unsubscribe?: () => Promise<void>;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly load: PolicyLoader,
    opts: PolicyDeciderOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.maxEntries = opts.maxEntries ?? 50_000;
  }

  async listen(bus: Bus): Promise<void> {
    this.unsubscribe = await bus.subscribe(POLICY_CHANGED_TOPIC, (m) => this.invalidate(m as PolicyChanged));
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
  }

  invalidate(change: PolicyChanged): void {
    this.generation++;
    if (change.all || !change.principalIds) this.cache.clear();
    else for (const id of change.principalIds) this.cache.delete(id);
  }

  policyFor(principalId: string): Promise<LoadedPolicy> {
    const hit = this.cache.get(principalId);
    const now = Date.now();
    if (hit && now - hit.at < this.ttlMs) return hit.loaded;
    const generation = this.generation;
    const loaded = this.load(principalId);
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    const entry = { loaded, at: now };
    this.cache.set(principalId, entry);
    loaded.then(
      () => {
        if (this.generation !== generation && this.cache.get(principalId) === entry) this.cache.delete(principalId);
      },
      () => {
        if (this.cache.get(principalId) === entry) this.cache.delete(principalId);
      },
    );
    return loaded;
  }

  /** Full decision for an authenticated principal, token narrowing applied. */
  async decide(principal: Principal, permission: string, scope: Scope = GLOBAL_SCOPE): Promise<AuthzDecision> {
    const { policy } = await this.policyFor(principal.id);
    return narrowDecision(policy.decide(permission, scope), principal.permissions);
  }
}
