// Canonical permission form `ns:action[:sub]` (reference §1.3 vocabulary drift: `ns.action` is
// accepted on input and normalised). One matcher for everything (fixes §10.2's three matchers).
import { TalosError, ErrorCode } from '../errors';

const SEGMENT = /^(\*|[a-z0-9_]+)$/;

/** Normalises `ns.action` to `ns:action`; throws BAD_USER_INPUT on anything else malformed. */
export function normalizePermission(input: string): string {
  const p = input.includes(':') ? input : input.replace(/\./g, ':');
  const segments = p.split(':');
  if (p.length > 100 || segments.length < 2 || segments.length > 3 || !segments.every((s) => SEGMENT.test(s))) {
    throw new TalosError(ErrorCode.BAD_USER_INPUT, `Invalid permission "${input}": expected ns:action[:sub] of [a-z0-9_] or *`, { permission: input });
  }
  const star = segments.indexOf('*');
  if (star !== -1 && star !== segments.length - 1 && !(segments[0] === '*' && segments.every((s) => s === '*'))) {
    throw new TalosError(ErrorCode.BAD_USER_INPUT, `Invalid permission "${input}": * may only end a permission`, { permission: input });
  }
  return p;
}

/**
 * Does a granted permission cover the requested one? `*:*` covers all; `ns:*` covers every
 * permission under `ns:` (segment boundary, so `llm:*` never covers `llmfoo:x`); otherwise equal.
 */
export function permissionCovers(granted: string, requested: string): boolean {
  if (granted === requested || granted === '*:*') return true;
  if (!granted.endsWith(':*')) return false;
  const prefix = granted.slice(0, -1); // keeps the trailing ':'
  return requested.startsWith(prefix) && requested.length > prefix.length;
}

/** Compiled permission set: exact lookups plus wildcard prefixes. */
export class PermissionSet {
  private readonly exact: Set<string>;
  private readonly prefixes: string[];
  readonly all: boolean;

  constructor(readonly permissions: readonly string[]) {
    this.exact = new Set(permissions.filter((p) => !p.endsWith(':*')));
    this.prefixes = permissions.filter((p) => p.endsWith(':*') && p !== '*:*').map((p) => p.slice(0, -1));
    this.all = permissions.includes('*:*');
  }

  covers(requested: string): boolean {
    if (this.all || this.exact.has(requested)) return true;
    for (const prefix of this.prefixes) if (requested.startsWith(prefix) && requested.length > prefix.length) return true;
    return false;
  }
}
