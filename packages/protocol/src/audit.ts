// Audit events (talos-domain.md §1.3, §1.5; vector audit_event_vectors.json): event_hash = sha256 hex of the
// canonical bytes of the event without `event_hash`; client IPs are stored only as HMAC-SHA256 (hex) with the
// key id; `meta` keeps allowlisted keys only and records what it removed.
import { createHmac } from 'node:crypto';
import { canonicalizeForHash, type JsonValue } from './canonical-json';
import { sha256Hex } from './digest';
import { ProtocolError } from './errors';

export const CLIENT_IP_HASH_ALG = 'HMAC-SHA256';

export type AuditEvent = { [key: string]: JsonValue };

function withoutHash(event: AuditEvent): AuditEvent {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new ProtocolError('TALOS_INVALID_INPUT', 'audit event must be an object');
  }
  if (!('event_hash' in event)) return event;
  const { event_hash: _ignored, ...rest } = event;
  return rest;
}

/** Canonical UTF-8 bytes hashed into `event_hash` (any `event_hash` member is excluded). */
export function auditEventCanonicalBytes(event: AuditEvent): Buffer {
  return Buffer.from(canonicalizeForHash(withoutHash(event)), 'utf8');
}

export function auditEventHash(event: AuditEvent): string {
  return sha256Hex(canonicalizeForHash(withoutHash(event)));
}

export interface IpHashKey {
  key: string | Uint8Array;
  keyId: string;
}

/** `http.client_ip_hash*` fields; empty when the IP is absent or "unknown" (nothing to pseudonymise). */
export function auditClientIpFields(
  clientIp: string | null | undefined,
  ipKey: IpHashKey,
): { client_ip_hash?: string; client_ip_hash_alg?: string; client_ip_hash_key_id?: string } {
  if (!clientIp || clientIp === 'unknown') return {};
  return {
    client_ip_hash: createHmac('sha256', ipKey.key).update(clientIp, 'utf8').digest('hex'),
    client_ip_hash_alg: CLIENT_IP_HASH_ALG,
    client_ip_hash_key_id: ipKey.keyId,
  };
}

/**
 * Keep only allowlisted meta keys. When something is removed, `meta_redaction_applied: true` and
 * `meta_redacted_keys` (sorted, ", "-joined) are added so the redaction itself is auditable.
 */
export function redactAuditMeta(meta: Record<string, JsonValue>, allowlist: readonly string[]): Record<string, JsonValue> {
  const allowed = new Set(allowlist);
  const out: Record<string, JsonValue> = {};
  const removed: string[] = [];
  for (const key of Object.keys(meta)) {
    if (allowed.has(key)) out[key] = meta[key];
    else removed.push(key);
  }
  if (removed.length > 0) {
    out.meta_redaction_applied = true;
    out.meta_redacted_keys = removed.sort().join(', ');
  }
  return out;
}
