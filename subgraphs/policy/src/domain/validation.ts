// Input rules of the policy subgraph (reference §1.1 contracts); bad input is rejected with
// BAD_USER_INPUT before anything is stored.
import { TalosError, ErrorCode, normalizePermission, SCOPE_TYPES, type Scope, type ScopeType } from '@talos/kit';

const ROLE_NAME = /^[a-zA-Z0-9_-]{1,100}$/;
const PRINCIPAL_ID = /^[A-Za-z0-9_.@:-]{1,255}$/;
const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const bad = (message: string, details?: Record<string, string>) => new TalosError(ErrorCode.BAD_USER_INPUT, message, details);

export function validatePrincipalId(id: string, field = 'principalId'): string {
  if (!PRINCIPAL_ID.test(id)) throw bad(`${field} must be 1-255 characters of [A-Za-z0-9_.@:-]`, { field });
  return id;
}

export function validateUuid(id: string, field: string): string {
  if (!UUID.test(id)) throw bad(`${field} must be a lowercase UUID`, { field });
  return id;
}

export function validateRoleName(name: string): string {
  if (!ROLE_NAME.test(name)) throw bad('Role name must be 1-100 characters of [a-zA-Z0-9_-]', { field: 'name' });
  return name;
}

/** Normalised (ns:action), de-duplicated, sorted; at least one. */
export function validatePermissions(perms: readonly string[], field = 'permissions'): string[] {
  if (perms.length === 0) throw bad(`${field} must not be empty`, { field });
  if (perms.length > 500) throw bad(`${field} may hold at most 500 entries`, { field });
  return [...new Set(perms.map((p) => normalizePermission(p)))].sort();
}

export function validateDescription(d: string | null | undefined): string | null {
  if (d == null) return null;
  if (d.length > 1000) throw bad('description must be at most 1000 characters', { field: 'description' });
  return d;
}

export interface ScopeInputShape {
  type: string;
  attributes?: ReadonlyArray<{ key: string; value: string }> | null;
}

export function toScope(input: ScopeInputShape | null | undefined): Scope {
  if (!input) return { scopeType: 'global', attributes: {} };
  const scopeType = input.type as ScopeType;
  if (!(SCOPE_TYPES as readonly string[]).includes(scopeType)) throw bad(`Unknown scope type ${input.type}`, { field: 'scope.type' });
  const attributes: Record<string, string> = {};
  for (const { key, value } of input.attributes ?? []) {
    if (!ATTRIBUTE_KEY.test(key)) throw bad(`Scope attribute key "${key}" must match [A-Za-z_][A-Za-z0-9_]{0,63}`, { field: 'scope.attributes' });
    if (value.length === 0 || value.length > 255) throw bad(`Scope attribute ${key} must be 1-255 characters`, { field: 'scope.attributes' });
    if (key in attributes) throw bad(`Scope attribute ${key} is given twice`, { field: 'scope.attributes' });
    attributes[key] = value;
  }
  if (scopeType === 'global' && Object.keys(attributes).length) throw bad('A global scope takes no attributes', { field: 'scope.attributes' });
  return { scopeType, attributes };
}
