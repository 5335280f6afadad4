// TGA capability tokens: compact JWS, alg EdDSA (Ed25519; ./jws), claims per talos-domain.md §3.4. Beyond the
// reference (§10.21) every constraint is enforced by `checkCapabilityCall`, nonce replay goes through a
// NonceStore, and clock skew has a bounded leeway. capability_digest = sha256 hex of the compact JWS string.
import type { KeyObject } from 'node:crypto';
import { canonicalize, type JsonValue } from './canonical-json';
import { canonicalDigestHex, isSha256Hex, sha256Hex } from './digest';
import { ProtocolError, isProtocolError } from './errors';
import { JWS_ALG_EDDSA, signCompactJws, verifyCompactJws, type JwsHeader } from './jws';
import type { NonceStore } from './nonce-store';
import { parseStrictJson } from './strict-json';
import { isUuidv7 } from './uuidv7';

export const CAPABILITY_AUDIENCE = 'talos-gateway';
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;
/** Upper bound on the leeway a verifier may configure. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
const TOOL_ID_RE = /^[a-z0-9_-]{1,128}$/;
const NONCE_RE = /^[A-Za-z0-9_-]{16,128}$/;
const CLAIM_KEYS = new Set(['iss', 'aud', 'iat', 'nbf', 'exp', 'nonce', 'trace_id', 'plan_id', 'constraints']);
const CONSTRAINT_KEYS = new Set(['tool_server', 'tool_name', 'target_allowlist', 'arg_constraints', 'read_only']);
const ARG_CONSTRAINT_KEYS = new Set(['allowed_keys', 'equals', 'prefixes', 'digest_allowlist']);

/** Declarative argument rules; every rule present must hold. Unknown rules make the token invalid. */
export interface ArgConstraints {
  /** Closed set of argument names. */
  allowed_keys?: string[];
  /** Arguments that must be present and equal (canonical JSON equality). */
  equals?: Record<string, JsonValue>;
  /** String arguments that must be present and start with the given prefix. */
  prefixes?: Record<string, string>;
  /** Allowed values of argsDigest(args) (sha256 hex of the canonical args). */
  digest_allowlist?: string[];
}

export interface CapabilityConstraints {
  tool_server: string;
  tool_name: string;
  /** Resources the call may touch; a call naming any other target is refused. */
  target_allowlist: string[];
  arg_constraints?: ArgConstraints;
  read_only: boolean;
}

export interface CapabilityClaims {
  iss: string;
  aud: string;
  iat: number;
  nbf?: number;
  exp: number;
  /** Unique per token: the replay id (jti). */
  nonce: string;
  trace_id: string;
  plan_id: string;
  constraints: CapabilityConstraints;
}

function bad(message: string): never {
  throw new ProtocolError('CAPABILITY_INVALID', message);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isTime = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);

function validateArgConstraints(v: unknown): void {
  if (!isObject(v)) bad('arg_constraints must be an object');
  for (const k of Object.keys(v)) if (!ARG_CONSTRAINT_KEYS.has(k)) bad(`unknown arg constraint ${k}`);
  if (v.allowed_keys !== undefined && !isStringList(v.allowed_keys)) bad('allowed_keys must be a list of names');
  if (v.equals !== undefined && !isObject(v.equals)) bad('equals must be an object');
  if (v.prefixes !== undefined && (!isObject(v.prefixes) || !Object.values(v.prefixes).every((p) => typeof p === 'string'))) {
    bad('prefixes must map names to strings');
  }
  if (v.digest_allowlist !== undefined && (!Array.isArray(v.digest_allowlist) || !v.digest_allowlist.every(isSha256Hex))) {
    bad('digest_allowlist must list sha256 hex digests');
  }
}

/** Shape check shared by mint and verify: closed claim set, typed fields, UUIDv7 trace/plan ids. */
export function validateCapabilityClaims(v: unknown): CapabilityClaims {
  if (!isObject(v)) bad('claims must be an object');
  for (const k of Object.keys(v)) if (!CLAIM_KEYS.has(k)) bad(`unknown claim ${k}`);
  if (typeof v.iss !== 'string' || v.iss.length === 0) bad('iss required');
  if (typeof v.aud !== 'string' || v.aud.length === 0) bad('aud required');
  if (!isTime(v.iat) || !isTime(v.exp) || (v.nbf !== undefined && !isTime(v.nbf))) bad('iat/nbf/exp must be unix seconds');
  if (v.exp <= v.iat) bad('exp must be after iat');
  if (typeof v.nonce !== 'string' || !NONCE_RE.test(v.nonce)) bad('nonce must be 16-128 base64url characters');
  if (!isUuidv7(v.trace_id) || !isUuidv7(v.plan_id)) bad('trace_id and plan_id must be UUIDv7');
  const c = v.constraints;
  if (!isObject(c)) bad('constraints required');
  for (const k of Object.keys(c)) if (!CONSTRAINT_KEYS.has(k)) bad(`unknown constraint ${k}`);
  if (typeof c.tool_server !== 'string' || !TOOL_ID_RE.test(c.tool_server)) bad('constraints.tool_server invalid');
  if (typeof c.tool_name !== 'string' || !TOOL_ID_RE.test(c.tool_name)) bad('constraints.tool_name invalid');
  if (!Array.isArray(c.target_allowlist) || !c.target_allowlist.every((t) => typeof t === 'string' && t.length > 0)) {
    bad('constraints.target_allowlist must be a list of strings');
  }
  if (typeof c.read_only !== 'boolean') bad('constraints.read_only must be a boolean');
  if (c.arg_constraints !== undefined) validateArgConstraints(c.arg_constraints);
  return v as unknown as CapabilityClaims;
}

export interface MintCapabilityOptions {
  /** Supervisor's Ed25519 private key (KeyObject or 32-byte seed). */
  privateKey: KeyObject | Uint8Array;
  kid?: string;
}

export function mintCapability(claims: CapabilityClaims, opts: MintCapabilityOptions): string {
  validateCapabilityClaims(claims);
  const header: JwsHeader = opts.kid === undefined ? { alg: JWS_ALG_EDDSA, typ: 'JWT' } : { alg: JWS_ALG_EDDSA, typ: 'JWT', kid: opts.kid };
  return signCompactJws(Buffer.from(canonicalize(claims), 'utf8'), header, opts.privateKey);
}

export interface VerifyCapabilityOptions {
  /** Supervisor's Ed25519 public key (KeyObject or raw 32 bytes). */
  publicKey: KeyObject | Uint8Array;
  nowSeconds: number;
  audience?: string;
  /** Clock-skew leeway applied to exp/nbf/iat; 0..MAX_CLOCK_SKEW_SECONDS. */
  leewaySeconds?: number;
  /** When given, each token nonce is accepted once (until exp + leeway). */
  nonceStore?: NonceStore;
}

export async function verifyCapability(token: string, opts: VerifyCapabilityOptions): Promise<CapabilityClaims> {
  const leeway = opts.leewaySeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  if (!Number.isSafeInteger(leeway) || leeway < 0 || leeway > MAX_CLOCK_SKEW_SECONDS) {
    throw new ProtocolError('CONFIG_ERROR', `leeway must be 0..${MAX_CLOCK_SKEW_SECONDS} seconds`);
  }
  if (typeof token !== 'string' || token.length > 16384) bad('token must be a compact JWS');
  const { payload } = verifyCompactJws(token, opts.publicKey);
  let claims: CapabilityClaims;
  try {
    claims = validateCapabilityClaims(parseStrictJson(payload));
  } catch (err) {
    if (isProtocolError(err, 'CAPABILITY_INVALID')) throw err;
    return bad('capability payload is not strict JSON');
  }
  if (claims.aud !== (opts.audience ?? CAPABILITY_AUDIENCE)) throw new ProtocolError('AUDIENCE_MISMATCH', 'capability audience mismatch');
  const now = opts.nowSeconds;
  if (now - leeway >= claims.exp) throw new ProtocolError('EXPIRED', 'capability expired');
  if (claims.nbf !== undefined && now + leeway < claims.nbf) throw new ProtocolError('NOT_BEFORE', 'capability not yet valid');
  if (now + leeway < claims.iat) throw new ProtocolError('NOT_BEFORE', 'capability issued in the future');
  if (opts.nonceStore) {
    const fresh = await opts.nonceStore.checkAndStore(JSON.stringify(['capability', claims.iss, claims.nonce]), claims.exp + leeway, now);
    if (!fresh) throw new ProtocolError('REPLAY_DETECTED', 'capability nonce already used');
  }
  return claims;
}

/** TC.capability_digest: binds a tool call to the exact token string (§3.1). */
export function capabilityDigest(token: string): string {
  return sha256Hex(token);
}

/** sha256 hex of the canonical args (hashing policy: no nulls, integers only). */
export function argsDigest(args: Record<string, JsonValue>): string {
  return canonicalDigestHex(args);
}

export interface ToolCallRequest {
  tool_server: string;
  tool_name: string;
  args: Record<string, JsonValue>;
  /** Resources the call touches, as derived by the caller from the tool registry. */
  targets?: string[];
  /** Class from the versioned tool registry (never from the agent); unknown counts as write. */
  tool_class?: 'read' | 'write';
}

function violation(message: string): never {
  throw new ProtocolError('TGA_CONSTRAINT_VIOLATION', message);
}

function checkArgs(rules: ArgConstraints, args: Record<string, JsonValue>): void {
  if (rules.allowed_keys) {
    const allowed = new Set(rules.allowed_keys);
    for (const k of Object.keys(args)) if (!allowed.has(k)) violation(`argument ${k} is not allowed`);
  }
  for (const [k, expected] of Object.entries(rules.equals ?? {})) {
    if (!(k in args) || canonicalize(args[k]) !== canonicalize(expected)) violation(`argument ${k} differs from the capability`);
  }
  for (const [k, prefix] of Object.entries(rules.prefixes ?? {})) {
    const v = args[k];
    if (typeof v !== 'string' || !v.startsWith(prefix)) violation(`argument ${k} is outside the allowed prefix`);
  }
  if (rules.digest_allowlist) {
    let digest: string;
    try {
      digest = argsDigest(args);
    } catch {
      return violation('arguments cannot be digested');
    }
    if (!rules.digest_allowlist.includes(digest)) violation('arguments digest is not allowlisted');
  }
}

/** Pure enforcement of every capability constraint against one tool call. */
export function checkCapabilityCall(claims: CapabilityClaims, call: ToolCallRequest): void {
  const c = claims.constraints;
  if (call.tool_server !== c.tool_server || call.tool_name !== c.tool_name) {
    throw new ProtocolError('TOOL_UNAUTHORIZED', 'tool is not covered by the capability');
  }
  if (c.read_only && call.tool_class !== 'read') {
    throw new ProtocolError('READ_ONLY_VIOLATION', 'read-only capability used for a non-read tool');
  }
  if (call.targets && call.targets.length > 0) {
    const allowed = new Set(c.target_allowlist);
    for (const t of call.targets) if (!allowed.has(t)) violation('target is not in the capability allowlist');
  }
  if (c.arg_constraints) checkArgs(c.arg_constraints, call.args);
}
