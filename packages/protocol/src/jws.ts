// Compact JWS (RFC 7515 §3.1, §7.1) restricted to alg "EdDSA" with Ed25519 (RFC 8037 §3.1), over node:crypto.
// Verification is synchronous (node's Ed25519 verify is ~2x faster than going through WebCrypto) and strict:
// the protected header may only carry alg, typ and kid, so `crit`, `b64:false`, embedded keys (jwk, x5c) and
// key URLs are refused instead of interpreted. Cross-checked against jose in the tests.
import type { KeyObject } from 'node:crypto';
import { b64uDecode, b64uEncode, isB64u } from './base64url';
import { ed25519PrivateKey, ed25519PublicKey, ed25519Sign, ed25519Verify } from './ed25519';
import { ProtocolError } from './errors';
import { parseStrictJson } from './strict-json';

export const JWS_ALG_EDDSA = 'EdDSA';
const HEADER_KEYS = new Set(['alg', 'typ', 'kid']);

export interface JwsHeader {
  alg: typeof JWS_ALG_EDDSA;
  typ?: string;
  kid?: string;
}

export function signCompactJws(payload: Uint8Array, header: JwsHeader, privateKey: KeyObject | Uint8Array): string {
  const key = privateKey instanceof Uint8Array ? ed25519PrivateKey(privateKey) : privateKey;
  const signingInput = `${b64uEncode(Buffer.from(JSON.stringify(header), 'utf8'))}.${b64uEncode(payload)}`;
  return `${signingInput}.${b64uEncode(ed25519Sign(key, Buffer.from(signingInput, 'latin1')))}`;
}

/**
 * Returns the payload bytes. Throws CAPABILITY_INVALID for anything that is not a well-formed EdDSA compact JWS
 * and SIGNATURE_INVALID when the signature does not verify or another algorithm is named.
 */
export function verifyCompactJws(token: string, publicKey: KeyObject | Uint8Array): { header: JwsHeader; payload: Buffer } {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3 || !parts.every(isB64u) || parts[0].length === 0) {
    throw new ProtocolError('CAPABILITY_INVALID', 'not a compact JWS');
  }
  let header: Record<string, unknown>;
  try {
    header = parseStrictJson(b64uDecode(parts[0])) as Record<string, unknown>;
  } catch {
    throw new ProtocolError('CAPABILITY_INVALID', 'JWS header is not strict JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new ProtocolError('CAPABILITY_INVALID', 'JWS header must be an object');
  }
  if (header.alg !== JWS_ALG_EDDSA) throw new ProtocolError('SIGNATURE_INVALID', 'JWS algorithm must be EdDSA');
  for (const k of Object.keys(header)) {
    if (!HEADER_KEYS.has(k)) throw new ProtocolError('CAPABILITY_INVALID', `JWS header parameter ${k} is not supported`);
  }
  if ((header.typ !== undefined && typeof header.typ !== 'string') || (header.kid !== undefined && typeof header.kid !== 'string')) {
    throw new ProtocolError('CAPABILITY_INVALID', 'JWS typ and kid must be strings');
  }
  const key = publicKey instanceof Uint8Array ? ed25519PublicKey(publicKey) : publicKey;
  const signingInput = Buffer.from(`${parts[0]}.${parts[1]}`, 'latin1');
  if (!ed25519Verify(key, signingInput, b64uDecode(parts[2]))) {
    throw new ProtocolError('SIGNATURE_INVALID', 'JWS signature invalid');
  }
  return { header: header as unknown as JwsHeader, payload: b64uDecode(parts[1]) };
}
