// X25519 over node:crypto with raw 32-byte keys at the API boundary (RFC 7748, DER per RFC 8410).
import { createPrivateKey, createPublicKey, diffieHellman, randomFillSync, type KeyObject } from 'node:crypto';
import { ProtocolError } from '../errors';

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
export const X25519_KEY_BYTES = 32;

export interface X25519KeyPair {
  privateKey: Buffer;
  publicKey: Buffer;
}

function check(raw: Uint8Array, what: string): void {
  if (!(raw instanceof Uint8Array) || raw.length !== X25519_KEY_BYTES) {
    throw new ProtocolError('TALOS_INVALID_INPUT', `X25519 ${what} must be 32 bytes`);
  }
}

export function x25519PrivateKeyObject(raw: Uint8Array): KeyObject {
  check(raw, 'private key');
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
}

export function x25519PublicKeyObject(raw: Uint8Array): KeyObject {
  check(raw, 'public key');
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
}

export function x25519KeyPairFromPrivate(raw: Uint8Array): X25519KeyPair {
  const spki = createPublicKey(x25519PrivateKeyObject(raw)).export({ format: 'der', type: 'spki' });
  return { privateKey: Buffer.from(raw), publicKey: spki.subarray(SPKI_X25519.length) };
}

export function generateX25519KeyPair(): X25519KeyPair {
  return x25519KeyPairFromPrivate(randomFillSync(Buffer.alloc(X25519_KEY_BYTES)));
}

/** X25519(priv, pub); an all-zero result (small-order peer key) is refused. */
export function x25519(privateKey: Uint8Array | KeyObject, publicKey: Uint8Array): Buffer {
  let shared: Buffer;
  try {
    const priv = privateKey instanceof Uint8Array ? x25519PrivateKeyObject(privateKey) : privateKey;
    shared = diffieHellman({ privateKey: priv, publicKey: x25519PublicKeyObject(publicKey) });
  } catch {
    throw new ProtocolError('TALOS_CRYPTO_ERROR', 'X25519 key agreement failed');
  }
  if (shared.every((b) => b === 0)) throw new ProtocolError('TALOS_CRYPTO_ERROR', 'X25519 produced a degenerate secret');
  return shared;
}
