// The policy subgraph's rules (reference §1.3 mutation guards; issue #2 §5): principals, roles,
// binding documents, token issuance and bootstrap. Every mutation is audited in its transaction
// and announced on the bus so every service's engine drops its cached bindings.
import {
  TalosError,
  ErrorCode,
  auditedTransaction,
  signAccessToken,
  permissionCovers,
  POLICY_CHANGED_TOPIC,
  TOKEN_REVOKED_TOPIC,
  type TokenRevoked,
  type Actor,
  type PolicyChanged,
  type Principal,
  type Runtime,
  type Scope,
} from '@talos/kit';
import { uuidv7 } from '@talos/protocol';
import { PolicyStore, type BindingRow, type TokenRow } from '../store/policy-store';
import { bad, toScope, validateDescription, validatePermissions, validatePrincipalId, validateRoleName, validateUuid, type ScopeInputShape } from './validation';

export const AUDIT_CHAIN = 'policy';
export const ADMIN_ROLE_NAME = 'admin';
export const TOKEN_TTL_MIN = 60;
export const TOKEN_TTL_MAX = 86_400;

export interface IssuedTokenResult {
  tokenType: 'Bearer';
  token: string;
  tokenId: string;
  principalId: string;
  permissions: string[] | null;
  expiresIn: number;
  expiresAt: Date;
}

export class PolicyAdmin {
  constructor(private readonly rt: Runtime) {}

  private get db() {
    return this.rt.db.write;
  }

  private async announce(change: PolicyChanged): Promise<void> {
    // Also applied locally at once: the bus round-trip must not open a stale window here.
    this.rt.policy.invalidate(change);
    await this.rt.bus.publish(POLICY_CHANGED_TOPIC, change);
  }

  private isProtectedPrincipal(id: string): boolean {
    return id === this.rt.config.bootstrapAdmin;
  }

  async upsertPrincipal(actor: Actor, input: { id: string; type?: string | null; displayName?: string | null; email?: string | null }) {
    const id = validatePrincipalId(input.id, 'id');
    const type = input.type ?? 'service_account';
    if (input.displayName != null && input.displayName.length > 255) throw bad('displayName must be at most 255 characters', { field: 'displayName' });
    if (input.email != null && !/^[^\s@]{1,64}@[^\s@]{1,255}$/.test(input.email)) throw bad('email is not an e-mail address', { field: 'email' });
    return auditedTransaction(this.rt.db, this.rt.bus, AUDIT_CHAIN, async (tx, audit) => {
      if (input.email) {
        const clash = await tx.principal.findFirst({ where: { email: input.email, NOT: { id } }, select: { id: true } });
        if (clash) throw new TalosError(ErrorCode.CONFLICT, 'Another principal already uses this email', { field: 'email' });
      }
      const row = await PolicyStore.upsertPrincipal(tx, { ...input, id, type });
      await audit({ principalId: actor.principal.id, requestId: actor.requestId, action: 'rbac.principal_upsert', resourceType: 'principal', resourceId: id, details: { type } });
      return row;
    });
  }

  async upsertRole(actor: Actor, input: { id?: string | null; name: string; description?: string | null; permissions: string[] }) {
    const name = validateRoleName(input.name);
    const permissions = validatePermissions(input.permissions);
    const description = validateDescription(input.description);
    const id = input.id ? validateUuid(input.id, 'id') : undefined;
    const role = await auditedTransaction(this.rt.db, this.rt.bus, AUDIT_CHAIN, async (tx, audit) => {
      const sameName = await PolicyStore.roleByName(tx, name);
      if (sameName && sameName.id !== id) throw new TalosError(ErrorCode.CONFLICT, `A role named ${name} already exists`, { roleId: sameName.id });
      let row;
      if (id) {
        const existing = await PolicyStore.role(tx, id);
        if (!existing) throw new TalosError(ErrorCode.NOT_FOUND, 'Role not found', { roleId: id });
        if (existing.builtIn) throw new TalosError('RBAC_ROLE_PROTECTED', `Built-in role ${existing.name} cannot be changed`, { roleId: id });
        row = await PolicyStore.updateRole(tx, id, { name, description, permissions });
      } else {
        row = await PolicyStore.createRole(tx, { id: uuidv7(), name, description, permissions });
      }
      await audit({ principalId: actor.principal.id, requestId: actor.requestId, action: 'rbac.role_upsert', resourceType: 'role', resourceId: row.id, details: { name, permissions } });
      return row;
    });
    await this.announce({ all: true });
    return role;
  }

  async deleteRole(actor: Actor, roleId: string) {
    const id = validateUuid(roleId, 'id');
    const deleted = await auditedTransaction(this.rt.db, this.rt.bus, AUDIT_CHAIN, async (tx, audit) => {
      const existing = await PolicyStore.role(tx, id);
      if (!existing) throw new TalosError(ErrorCode.NOT_FOUND, 'Role not found', { roleId: id });
      if (existing.builtIn) throw new TalosError('RBAC_ROLE_PROTECTED', `Built-in role ${existing.name} cannot be deleted`, { roleId: id });
      const uses = await PolicyStore.roleUseCount(tx, id);
      if (uses > 0) throw new TalosError('RBAC_ROLE_IN_USE', `Role ${existing.name} is still bound ${uses} time(s)`, { roleId: id, bindings: uses });
      await PolicyStore.deleteRole(tx, id);
      await audit({ principalId: actor.principal.id, requestId: actor.requestId, action: 'rbac.role_delete', resourceType: 'role', resourceId: id, details: { name: existing.name } });
      return { id, name: existing.name };
    });
    await this.announce({ all: true });
    return deleted;
  }

  async setBindings(actor: Actor, principalId: string, inputs: ReadonlyArray<{ roleId: string; scope?: ScopeInputShape | null }>): Promise<BindingRow[]> {
    validatePrincipalId(principalId);
    if (inputs.length > 500) throw bad('A binding document holds at most 500 entries', { field: 'bindings' });
    const entries = inputs.map((b) => ({ roleId: validateUuid(b.roleId, 'roleId'), scope: toScope(b.scope) }));
    const seen = new Set<string>();
    for (const e of entries) {
      const key = JSON.stringify([e.roleId, e.scope.scopeType, Object.entries(e.scope.attributes).sort()]);
      if (seen.has(key)) throw bad('The same role and scope are bound twice', { field: 'bindings', roleId: e.roleId });
      seen.add(key);
    }
    if (this.isProtectedPrincipal(principalId)) {
      throw new TalosError('RBAC_PRINCIPAL_PROTECTED', 'The bootstrap administrator\'s bindings cannot be changed', { principalId });
    }
    const rows = await auditedTransaction(this.rt.db, this.rt.bus, AUDIT_CHAIN, async (tx, audit) => {
      if (!(await PolicyStore.principal(tx, principalId))) {
        throw new TalosError(ErrorCode.NOT_FOUND, 'Principal not found: create it with upsertPrincipal first', { principalId });
      }
      const roleIds = [...new Set(entries.map((e) => e.roleId))];
      const known = new Set((await PolicyStore.rolesByIds(tx, roleIds)).map((r) => r.id));
      const unknown = roleIds.find((r) => !known.has(r));
      if (unknown) throw new TalosError('RBAC_ROLE_NOT_FOUND', 'Binding references an unknown role', { roleId: unknown });
      const result = await PolicyStore.replaceBindings(
        tx,
        principalId,
        entries.map((e) => ({ id: uuidv7(), roleId: e.roleId, scopeType: e.scope.scopeType, scopeAttributes: { ...e.scope.attributes } })),
      );
      await audit({
        principalId: actor.principal.id,
        requestId: actor.requestId,
        action: 'rbac.binding_set',
        resourceType: 'binding_document',
        resourceId: principalId,
        details: { bindings: result.map((r) => ({ binding_id: r.id, role_id: r.roleId, scope_type: r.scopeType, attributes: r.scopeAttributes })) },
      });
      return result;
    });
    await this.announce({ principalIds: [principalId] });
    return rows;
  }

  async issueToken(actor: Actor, input: { principalId: string; ttlSeconds?: number | null; permissions?: string[] | null }): Promise<IssuedTokenResult> {
    const principalId = validatePrincipalId(input.principalId);
    const ttl = input.ttlSeconds ?? 3600;
    if (!Number.isInteger(ttl) || ttl < TOKEN_TTL_MIN || ttl > TOKEN_TTL_MAX) {
      throw bad(`ttlSeconds must be between ${TOKEN_TTL_MIN} and ${TOKEN_TTL_MAX}`, { field: 'ttlSeconds' });
    }
    const signer = this.rt.keys.tokenSigningKey;
    if (!signer) throw new TalosError(ErrorCode.INTERNAL, 'This service has no token signing key');
    let permissions = input.permissions ? validatePermissions(input.permissions) : undefined;
    // A narrowed caller minting for itself cannot widen its own token.
    if (actor.principal.id === principalId && actor.principal.permissions) {
      permissions ??= [...actor.principal.permissions];
      const outside = permissions.find((p) => !actor.principal.permissions!.some((g) => permissionCovers(g, p)));
      if (outside) throw new TalosError('RBAC_NARROWING_EXCEEDS_GRANT', `Your token does not carry ${outside}`, { permission: outside });
    }
    const now = new Date();
    const tokenId = uuidv7();
    const expiresAt = new Date(now.getTime() + ttl * 1000);
    await auditedTransaction(this.rt.db, this.rt.bus, AUDIT_CHAIN, async (tx, audit) => {
      if (!(await PolicyStore.principal(tx, principalId))) throw new TalosError(ErrorCode.NOT_FOUND, 'Principal not found', { principalId });
      if (permissions) {
        const granted = new Set((await PolicyStore.bindings(tx, principalId)).flatMap((b) => b.role.permissions));
        const outside = permissions.find((p) => ![...granted].some((g) => permissionCovers(g, p)));
        if (outside) {
          throw new TalosError('RBAC_NARROWING_EXCEEDS_GRANT', `The principal's bindings do not grant ${outside}`, { permission: outside });
        }
      }
      await PolicyStore.recordToken(tx, { id: tokenId, principalId, permissions: permissions ?? [], issuedBy: actor.principal.id, issuedAt: now, expiresAt });
      await audit({
        principalId: actor.principal.id,
        requestId: actor.requestId,
        action: 'token.issue',
        resourceType: 'token',
        resourceId: tokenId,
        details: { subject: principalId, ttl_seconds: ttl, ...(permissions ? { permissions } : {}) },
      });
    });
    const token = await signAccessToken(signer, {
      principalId,
      tokenId,
      ttlSeconds: ttl,
      permissions,
      issuer: this.rt.config.issuer,
      audience: this.rt.config.audience,
      now,
    });
    return { tokenType: 'Bearer', token, tokenId, principalId, permissions: permissions ?? null, expiresIn: ttl, expiresAt };
  }

  /**
   * Revokes a token recorded by issueToken. A principal may always revoke its own tokens; anyone
   * else needs policy:tokens:revoke for that principal. Idempotent: revoking twice keeps the first time.
   */
  async revokeToken(actor: Actor, tokenId: string, mayRevokeFor: (principalId: string) => Promise<boolean>): Promise<TokenRow> {
    const id = validateUuid(tokenId, 'tokenId');
    const existing = await PolicyStore.token(this.rt.db.write, id);
    // Unknown and not-yours look the same to a caller without the permission.
    if (!existing || (existing.principalId !== actor.principal.id && !(await mayRevokeFor(existing.principalId)))) {
      throw new TalosError(ErrorCode.NOT_FOUND, 'No such token', { tokenId: id });
    }
    if (existing.revokedAt) return existing;
    const row = await auditedTransaction(this.rt.db, this.rt.bus, AUDIT_CHAIN, async (tx, audit) => {
      const revoked = await PolicyStore.revokeToken(tx, id, new Date());
      await audit({ principalId: actor.principal.id, requestId: actor.requestId, action: 'token.revoke', resourceType: 'token', resourceId: id, details: { subject: revoked.principalId } });
      return revoked;
    });
    const message: TokenRevoked = { tokenId: id, principalId: row.principalId, expiresAt: row.expiresAt.toISOString() };
    await this.rt.bus.publish(TOKEN_REVOKED_TOPIC, message);
    return row;
  }

  /**
   * First start (and every start): the built-in admin role with `*:*`, the bootstrap principal and
   * its global binding exist; drift is repaired and audited. Safe to run from several processes.
   */
  async ensureBootstrap(): Promise<void> {
    const adminId = this.rt.config.bootstrapAdmin;
    let changed = false;
    await auditedTransaction(this.rt.db, this.rt.bus, AUDIT_CHAIN, async (tx, audit) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('talos.policy.bootstrap'))`;
      let role = await PolicyStore.roleByName(tx, ADMIN_ROLE_NAME);
      if (!role) {
        role = await PolicyStore.createRole(tx, { id: uuidv7(), name: ADMIN_ROLE_NAME, description: 'Built-in: every permission', permissions: ['*:*'], builtIn: true });
        changed = true;
      } else if (!role.builtIn || role.permissions.join() !== '*:*') {
        role = await tx.role.update({ where: { id: role.id }, data: { builtIn: true, permissions: ['*:*'] } });
        changed = true;
      }
      if (!(await PolicyStore.principal(tx, adminId))) {
        await PolicyStore.upsertPrincipal(tx, { id: adminId, type: 'user', displayName: 'Bootstrap administrator' });
        changed = true;
      }
      const bindings = await PolicyStore.bindings(tx, adminId);
      if (!bindings.some((b) => b.roleId === role.id && b.scopeType === 'global')) {
        await tx.roleBinding.create({ data: { id: uuidv7(), principalId: adminId, roleId: role.id, scopeType: 'global', scopeAttributes: {} } });
        changed = true;
      }
      if (changed) {
        await audit({ principalId: 'system', requestId: 'bootstrap', action: 'rbac.bootstrap', resourceType: 'principal', resourceId: adminId, details: { role_id: role.id } });
      }
    });
    if (changed) await this.announce({ principalIds: [adminId] });
  }
}

/** Effective permissions of a binding list, after the token's narrowing. */
export function effectivePermissions(bindings: BindingRow[], narrowing?: readonly string[]): string[] {
  const granted = [...new Set(bindings.flatMap((b) => b.role.permissions))].sort();
  if (!narrowing) return granted;
  const out = new Set<string>();
  for (const n of narrowing) if (granted.some((g) => permissionCovers(g, n))) out.add(n);
  for (const g of granted) if (narrowing.some((n) => permissionCovers(n, g))) out.add(g);
  return [...out].sort();
}

export function scopeOut(scope: Scope) {
  return {
    type: scope.scopeType,
    attributes: Object.entries(scope.attributes)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value })),
  };
}
