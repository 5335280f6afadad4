// TGA artifacts and the AR → SD → TC → TE trace chain (talos-domain.md §3.1; vector tga/golden_trace_chain.json).
// Digest rule: remove only `_digest`, canonicalise the rest (so `_digest_alg` is hashed), SHA-256, lowercase hex.
// Hex, not base64url: it is what the contracts docs, the golden vectors, audit/frame/event digests and the
// Postgres CHECK constraints use, so one digest format runs through the whole platform (README "Digests").
import type { JsonValue } from './canonical-json';
import { capabilityDigest } from './capability';
import { canonicalDigestHex, isSha256Hex } from './digest';
import { ProtocolError } from './errors';
import { isUuidv7 } from './uuidv7';

export const TGA_DIGEST_ALG = 'sha256';
export const TGA_SCHEMA_VERSION = 'tga.v1';

export const TGA_SCHEMA_IDS = {
  action_request: 'talos.tga.action_request',
  supervisor_decision: 'talos.tga.supervisor_decision',
  tool_call: 'talos.tga.tool_call',
  tool_effect: 'talos.tga.tool_effect',
} as const;

export type TgaArtifactKind = keyof typeof TGA_SCHEMA_IDS;
export type TgaArtifact = { [key: string]: JsonValue };

/** sha256 hex over the canonical artifact without `_digest`. */
export function tgaArtifactDigest(artifact: TgaArtifact): string {
  if (artifact === null || typeof artifact !== 'object' || Array.isArray(artifact)) {
    throw new ProtocolError('TGA_SCHEMA_INVALID', 'artifact must be an object');
  }
  const { _digest: _ignored, ...rest } = artifact;
  return canonicalDigestHex(rest);
}

/** Return a copy with `_digest_alg` and `_digest` set. */
export function sealTgaArtifact<T extends TgaArtifact>(artifact: T): T & { _digest_alg: string; _digest: string } {
  const withAlg = { ...artifact, _digest_alg: TGA_DIGEST_ALG };
  return { ...withAlg, _digest: tgaArtifactDigest(withAlg) };
}

export function verifyTgaArtifact(kind: TgaArtifactKind, artifact: TgaArtifact): void {
  if (artifact.schema_id !== TGA_SCHEMA_IDS[kind] || artifact.schema_version !== TGA_SCHEMA_VERSION) {
    throw new ProtocolError('TGA_SCHEMA_INVALID', `${kind} has the wrong schema id or version`);
  }
  for (const id of ['trace_id', 'plan_id', `${kind}_id`]) {
    if (!isUuidv7(artifact[id])) throw new ProtocolError('TGA_SCHEMA_INVALID', `${kind}.${id} must be a UUIDv7`);
  }
  if (artifact._digest_alg !== TGA_DIGEST_ALG || !isSha256Hex(artifact._digest)) {
    throw new ProtocolError('TGA_SCHEMA_INVALID', `${kind} digest must be sha256 hex`);
  }
  if (tgaArtifactDigest(artifact) !== artifact._digest) {
    throw new ProtocolError('TGA_DIGEST_MISMATCH', `${kind} digest does not match its content`);
  }
}

export interface TraceChain {
  action_request: TgaArtifact;
  supervisor_decision?: TgaArtifact;
  tool_call?: TgaArtifact;
  tool_effect?: TgaArtifact;
}

function link(ok: boolean, message: string): void {
  if (!ok) throw new ProtocolError('TGA_HASH_CHAIN_BROKEN', message);
}

function obj(v: JsonValue | undefined): Record<string, JsonValue> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

/**
 * Validate a (possibly partial) trace: every artifact's own digest, the digest and id links, trace/plan
 * equality, an approving decision before any tool call, the call matching the proposal and, when the token is
 * given, TC.capability_digest = sha256 hex of that exact token.
 */
export function validateTraceChain(chain: TraceChain, opts: { capabilityToken?: string } = {}): void {
  const { action_request: ar, supervisor_decision: sd, tool_call: tc, tool_effect: te } = chain;
  verifyTgaArtifact('action_request', ar);
  const steps: [TgaArtifactKind, TgaArtifact | undefined][] = [
    ['supervisor_decision', sd],
    ['tool_call', tc],
    ['tool_effect', te],
  ];
  let previousPresent = true;
  for (const [kind, artifact] of steps) {
    if (artifact === undefined) {
      previousPresent = false;
      continue;
    }
    link(previousPresent, `${kind} without its predecessor`);
    verifyTgaArtifact(kind, artifact);
    link(artifact.trace_id === ar.trace_id && artifact.plan_id === ar.plan_id, `${kind} belongs to another trace or plan`);
  }
  if (sd) {
    link(sd.action_request_id === ar.action_request_id, 'decision names another action request');
    link(sd.action_request_digest === ar._digest, 'decision does not bind the action request digest');
  }
  if (sd && tc) {
    link(tc.supervisor_decision_id === sd.supervisor_decision_id, 'tool call names another decision');
    link(tc.supervisor_decision_digest === sd._digest, 'tool call does not bind the decision digest');
    if (sd.decision !== 'APPROVE') throw new ProtocolError('TGA_CONSTRAINT_MISMATCH', 'tool call without an approving decision');
    const call = obj(tc.call);
    const proposal = obj(ar.proposal);
    if (call.tool_server !== proposal.tool_server || call.tool_name !== proposal.tool_name) {
      throw new ProtocolError('TGA_CONSTRAINT_MISMATCH', 'tool call differs from the approved proposal');
    }
    if (opts.capabilityToken !== undefined && tc.capability_digest !== capabilityDigest(opts.capabilityToken)) {
      throw new ProtocolError('TGA_DIGEST_MISMATCH', 'tool call is not bound to this capability');
    }
  }
  if (tc && te) {
    link(te.tool_call_id === tc.tool_call_id, 'effect names another tool call');
    link(te.tool_call_digest === tc._digest, 'effect does not bind the tool call digest');
  }
}
