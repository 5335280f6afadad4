// HTTP request attestation v1 (talos-domain.md §0.4; vectors crypto/http_attestation_v1.json, replay_nonce.json).
// Signed bytes = canonical JSON body ("" without a body) \n METHOD \n raw path+query \n nonce \n timestamp \n
// opcode. Verification order: header shape → timestamp window → signature → nonce (so that unauthenticated
// requests cannot burn nonces). Unlike the reference (§10.8) the replay check really runs, through a NonceStore.
import type { KeyObject } from 'node:crypto';
import { b64uDecode, b64uEncode, isB64u } from './base64url';
import { canonicalize, type JsonValue } from './canonical-json';
import { ed25519Sign, ed25519Verify, ED25519_SIGNATURE_BYTES } from './ed25519';
import { ProtocolError } from './errors';
import type { NonceStore } from './nonce-store';

/** Accepted clock difference between signer and verifier (§0.4: ±60 s). */
export const ATTESTATION_WINDOW_SECONDS = 60;
/** How long a nonce stays reserved (§0.4: 300 s). */
export const ATTESTATION_NONCE_TTL_SECONDS = 300;
const TIMESTAMP_RE = /^(0|[1-9][0-9]{0,15})$/;
const MAX_FIELD_CHARS = 256;

export interface AttestedRequest {
  method: string;
  /** Path and query exactly as received, never re-encoded or re-ordered. */
  rawPathQuery: string;
  /** Parsed JSON body; undefined or null means "no body". */
  body?: JsonValue;
  nonce: string;
  /** Unix seconds as sent in X-Talos-Timestamp. */
  timestamp: string | number;
  /** Surface id the server derived for this route (never taken from the client). */
  opcode: string;
}

function field(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_FIELD_CHARS || /[\r\n]/.test(value)) {
    throw new ProtocolError('SCHEMA_VALIDATION_ERROR', `attestation field ${name} is malformed`);
  }
  return value;
}

export function httpAttestationSigningInput(req: AttestedRequest): Buffer {
  const body = req.body === undefined || req.body === null ? '' : canonicalize(req.body);
  const ts = String(req.timestamp);
  if (!TIMESTAMP_RE.test(ts)) throw new ProtocolError('SCHEMA_VALIDATION_ERROR', 'attestation timestamp is malformed');
  const text = [
    body,
    field('method', req.method).toUpperCase(),
    field('path', req.rawPathQuery),
    field('nonce', req.nonce),
    ts,
    field('opcode', req.opcode),
  ].join('\n');
  return Buffer.from(text, 'utf8');
}

/** X-Talos-Signature value: Ed25519 over the signing input, unpadded base64url. */
export function signHttpRequest(req: AttestedRequest, privateKey: KeyObject | Uint8Array): string {
  return b64uEncode(ed25519Sign(privateKey, httpAttestationSigningInput(req)));
}

export interface AttestationVerifyOptions {
  /** Signer's Ed25519 public key (raw 32 bytes or KeyObject), resolved from X-Talos-Key-ID by the caller. */
  publicKey: KeyObject | Uint8Array;
  keyId: string;
  signature: string;
  nowSeconds: number;
  nonceStore: NonceStore;
  windowSeconds?: number;
  nonceTtlSeconds?: number;
}

export async function verifyHttpAttestation(req: AttestedRequest, opts: AttestationVerifyOptions): Promise<void> {
  if (!isB64u(opts.signature)) {
    throw new ProtocolError('SCHEMA_VALIDATION_ERROR', 'signature must be unpadded base64url');
  }
  const signature = b64uDecode(opts.signature);
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw new ProtocolError('SCHEMA_VALIDATION_ERROR', 'signature must be 64 bytes');
  const signingInput = httpAttestationSigningInput(req);
  const window = opts.windowSeconds ?? ATTESTATION_WINDOW_SECONDS;
  if (Math.abs(opts.nowSeconds - Number(req.timestamp)) > window) {
    throw new ProtocolError('AUTH_INVALID', 'attestation timestamp outside the accepted window');
  }
  if (!ed25519Verify(opts.publicKey, signingInput, signature)) {
    throw new ProtocolError('AUTH_INVALID', 'attestation signature invalid');
  }
  const ttl = opts.nonceTtlSeconds ?? ATTESTATION_NONCE_TTL_SECONDS;
  const fresh = await opts.nonceStore.checkAndStore(
    JSON.stringify(['attest', field('keyId', opts.keyId), req.nonce]),
    opts.nowSeconds + ttl,
    opts.nowSeconds,
  );
  if (!fresh) throw new ProtocolError('REPLAY_DETECTED', 'attestation nonce already used');
}
