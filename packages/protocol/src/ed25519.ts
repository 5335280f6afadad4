// Ed25519 over node:crypto (OpenSSL) and did:key derivation (vectors sdk/signing_verify.json,
// crypto/ed25519_signatures.json). Keys cross the API as raw 32-byte values or node KeyObjects.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJsonBytes } from './canonical-json';
import { ProtocolError } from './errors';

// RFC 8410 DER prefixes: PKCS#8 private key and SPKI public key for id-Ed25519 (1.3.101.112).
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
// Multicodec ed25519-pub (0xed, varint) for did:key (W3C did:key §3.1.3).
const MULTICODEC_ED25519_PUB = Buffer.from([0xed, 0x01]);
const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export const ED25519_SIGNATURE_BYTES = 64;

export interface Ed25519KeyPair {
  privateKey: KeyObject;
  /** Raw 32-byte public key. */
  publicKey: Buffer;
}

export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new ProtocolError('TALOS_INVALID_INPUT', 'Ed25519 seed must be exactly 32 bytes');
  }
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519KeyPairFromSeed(seed: Uint8Array): Ed25519KeyPair {
  const privateKey = ed25519PrivateKey(seed);
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: spki.subarray(SPKI_ED25519.length) };
}

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (!(raw instanceof Uint8Array) || raw.length !== 32) {
    throw new ProtocolError('TALOS_INVALID_INPUT', 'Ed25519 public key must be exactly 32 bytes');
  }
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
}

export function ed25519Sign(privateKey: KeyObject | Uint8Array, message: Uint8Array): Buffer {
  const key = privateKey instanceof Uint8Array ? ed25519PrivateKey(privateKey) : privateKey;
  return sign(null, message, key);
}

/** false for a wrong signature, a wrong length or an unusable public key; never throws for bad input. */
export function ed25519Verify(publicKey: KeyObject | Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    const key = publicKey instanceof Uint8Array ? ed25519PublicKey(publicKey) : publicKey;
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

/** Verify a signature over the RFC 8785 canonical bytes of a JSON payload. */
export function verifyCanonicalSignature(
  payload: unknown,
  signature: Uint8Array,
  publicKey: KeyObject | Uint8Array | undefined,
): boolean {
  if (publicKey === undefined) return false;
  return ed25519Verify(publicKey, canonicalJsonBytes(payload), signature);
}

export function base58btcEncode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = '1'.repeat(zeros);
  for (let i = digits.length - 1; i >= 0; i--) out += BASE58_ALPHABET[digits[i]];
  return out;
}

/** did:key for an Ed25519 public key: "did:key:z" + base58btc(0xed01 || key). */
export function didKeyFromEd25519(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new ProtocolError('TALOS_INVALID_INPUT', 'Ed25519 public key must be 32 bytes');
  return 'did:key:z' + base58btcEncode(Buffer.concat([MULTICODEC_ED25519_PUB, publicKey]));
}
