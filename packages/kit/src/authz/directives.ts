// Authorization declared next to fields in the SDL (ARCHITECTURE §1 "Authorization in the schema").
// These directives are a Talos SDL extension: the kit reads them, compiles the rule map and strips
// them before the schema is built, so policy details are never advertised in the supergraph.
import { Kind, parse, visit, type DocumentNode, type ConstDirectiveNode, type ValueNode } from 'graphql';
import { SCOPE_TYPES, type ScopeType } from '../policy/engine';
import { normalizePermission } from '../policy/permissions';

// Their definitions, for editors and codegen, are in schemas/authz.graphql.

export type Template = { kind: 'literal'; value: string } | { kind: 'args' | 'parent'; path: string[] } | { kind: 'principal' };

export type AuthzRuleSpec =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'authz'; permission: string; scopeType: ScopeType; attributes: Record<string, Template>; allowSelf?: Template };

export interface FieldRule {
  typeName: string;
  fieldName: string;
  rule: AuthzRuleSpec;
}

export class AuthzDeclarationError extends Error {
  override readonly name = 'AuthzDeclarationError';
}

const DIRECTIVES = new Set(['public', 'authenticated', 'authz']);
const FEDERATION_ALLOWED: Record<string, string[]> = { Query: ['_service', '_entities'], _Service: ['sdl'] };

function parseTemplate(raw: string, where: string): Template {
  if (raw === '$principal.id') return { kind: 'principal' };
  const m = /^\$(args|parent)\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/.exec(raw);
  if (m) return { kind: m[1] as 'args' | 'parent', path: m[2].split('.') };
  if (raw.startsWith('$')) throw new AuthzDeclarationError(`${where}: unknown template "${raw}" (use $args.x, $parent.x or $principal.id)`);
  return { kind: 'literal', value: raw };
}

function stringArg(d: ConstDirectiveNode, name: string, where: string): string | undefined {
  const arg = d.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  if (arg.value.kind !== Kind.STRING) throw new AuthzDeclarationError(`${where}: @${d.name.value}(${name}:) must be a string`);
  return arg.value.value;
}

function ruleFromDirective(d: ConstDirectiveNode, where: string): AuthzRuleSpec {
  if (d.name.value === 'public') return { kind: 'public' };
  if (d.name.value === 'authenticated') return { kind: 'authenticated' };
  const permissionRaw = stringArg(d, 'permission', where);
  if (!permissionRaw) throw new AuthzDeclarationError(`${where}: @authz needs permission`);
  const permission = normalizePermission(permissionRaw);
  if (permission.includes('*')) throw new AuthzDeclarationError(`${where}: a required permission cannot be a wildcard`);
  const scopeArg = d.arguments?.find((a) => a.name.value === 'scope');
  let scopeType: ScopeType = 'global';
  const attributes: Record<string, Template> = {};
  if (scopeArg) {
    const value: ValueNode = scopeArg.value;
    if (value.kind !== Kind.OBJECT) throw new AuthzDeclarationError(`${where}: scope must be an object like {type: "secret", name: "$args.name"}`);
    for (const field of value.fields) {
      if (field.value.kind !== Kind.STRING) throw new AuthzDeclarationError(`${where}: scope.${field.name.value} must be a string`);
      if (field.name.value === 'type') {
        if (!(SCOPE_TYPES as readonly string[]).includes(field.value.value)) {
          throw new AuthzDeclarationError(`${where}: unknown scope type "${field.value.value}" (one of ${SCOPE_TYPES.join(', ')})`);
        }
        scopeType = field.value.value as ScopeType;
      } else {
        attributes[field.name.value] = parseTemplate(field.value.value, where);
      }
    }
    if (scopeType === 'global' && Object.keys(attributes).length) throw new AuthzDeclarationError(`${where}: a global scope takes no attributes`);
  }
  const selfRaw = stringArg(d, 'allowSelf', where);
  return { kind: 'authz', permission, scopeType, attributes, ...(selfRaw ? { allowSelf: parseTemplate(selfRaw, where) } : {}) };
}

function only(directives: readonly ConstDirectiveNode[] | undefined, where: string): AuthzRuleSpec | undefined {
  const ours = (directives ?? []).filter((d) => DIRECTIVES.has(d.name.value));
  if (ours.length > 1) throw new AuthzDeclarationError(`${where}: declare one of @public, @authenticated, @authz — not several`);
  return ours[0] ? ruleFromDirective(ours[0], where) : undefined;
}

export interface AuthzDeclarations {
  /** Every object field of the subgraph with its rule (field-level wins over type-level). */
  fields: FieldRule[];
  /** The SDL with the authz directives removed, ready for buildSubgraphSchema / composition. */
  document: DocumentNode;
}

/**
 * Reads the declarations and fails (naming the field) when any object field has none: deny by
 * default is enforced at startup as well as at request time.
 */
export function readAuthzDeclarations(sdl: string): AuthzDeclarations {
  const source = parse(sdl);
  const fields: FieldRule[] = [];
  const missing: string[] = [];
  for (const def of source.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeName = def.name.value;
    const typeRule = only(def.directives, typeName);
    for (const field of def.fields ?? []) {
      const where = `${typeName}.${field.name.value}`;
      const rule = only(field.directives, where) ?? typeRule;
      if (!rule) missing.push(where);
      else fields.push({ typeName, fieldName: field.name.value, rule });
    }
  }
  if (missing.length) {
    throw new AuthzDeclarationError(`No authorization declared for ${missing.join(', ')}: add @public, @authenticated or @authz (deny by default)`);
  }
  const document = visit(source, {
    Directive: (node) => (DIRECTIVES.has(node.name.value) ? null : undefined),
  });
  return { fields, document };
}

export function isFederationInternal(typeName: string, fieldName: string): boolean {
  return FEDERATION_ALLOWED[typeName]?.includes(fieldName) ?? false;
}
