// Ratchet KDFs (talos-domain.md §4.7; vectors sdk/ratchet/kdf_rk_step.json, kdf_ck_step.json):
//   KDF_RK(rk, dh_out) = HKDF-SHA256(ikm = rk || dh_out, salt = none, info "talos-double-ratchet-root", 64)
//                        → (new_rk = [0..32), new_ck = [32..64))
//   KDF_CK(ck): mk = HKDF(ck, info "talos-double-ratchet-message", 32), next_ck = HKDF(ck, info "…-chain", 32)
// HMAC-SHA256 is composed from native one-shot SHA-256 (RFC 2104) because node's createHmac/hkdfSync cost
// 3–11 µs per call and the symmetric ratchet needs six HMACs per message; results are checked against
// node:crypto's HKDF in the tests. No asymmetric maths happens here.
import { createHash, hkdfSync } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';

export const INFO_X3DH_INIT = 'x3dh-init';
export const INFO_X3DH_V2 = 'talos-x3dh-v2';
export const INFO_ROOT = 'talos-double-ratchet-root';
export const INFO_MESSAGE = 'talos-double-ratchet-message';
export const INFO_CHAIN = 'talos-double-ratchet-chain';

const BLOCK = 64;
type OneShotHash = (alg: string, data: Uint8Array, enc: 'latin1') => string;
const oneShot = (nodeCrypto as unknown as { hash?: OneShotHash }).hash;
const sha256Latin1: (data: Uint8Array) => string = oneShot
  ? (data) => oneShot('sha256', data, 'latin1')
  : (data) => createHash('sha256').update(data).digest('binary');

/** HMAC-SHA256 for keys of at most one block (all keys here are 32 bytes). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Buffer {
  if (key.length > BLOCK) throw new RangeError('HMAC key longer than one block');
  const inner = Buffer.allocUnsafe(BLOCK + message.length);
  const outer = Buffer.allocUnsafe(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    const k = i < key.length ? key[i] : 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  inner.set(message, BLOCK);
  outer.write(sha256Latin1(inner), BLOCK, 'latin1');
  return Buffer.from(sha256Latin1(outer), 'latin1');
}

const ZERO_SALT = new Uint8Array(32);

function expand(prk: Buffer, info: Uint8Array, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let prev: Buffer = Buffer.alloc(0);
  for (let i = 1, off = 0; off < length; i++) {
    const msg = Buffer.allocUnsafe(prev.length + info.length + 1);
    prev.copy(msg, 0);
    msg.set(info, prev.length);
    msg[msg.length - 1] = i;
    prev = hmacSha256(prk, msg);
    off += prev.copy(out, off, 0, Math.min(32, length - off));
  }
  return out;
}

/** RFC 5869 HKDF-SHA256; salt "none" = 32 zero bytes. */
export function hkdfSha256(ikm: Uint8Array, info: string | Uint8Array, length: number, salt: Uint8Array = ZERO_SALT): Buffer {
  const infoBytes = typeof info === 'string' ? Buffer.from(info, 'utf8') : info;
  if (salt.length > BLOCK) return Buffer.from(hkdfSync('sha256', ikm, salt, infoBytes, length));
  return expand(hmacSha256(salt, ikm), infoBytes, length);
}

export function kdfRk(rk: Uint8Array, dhOut: Uint8Array): { rk: Buffer; ck: Buffer } {
  const okm = hkdfSha256(Buffer.concat([rk, dhOut]), INFO_ROOT, 64);
  return { rk: okm.subarray(0, 32), ck: okm.subarray(32, 64) };
}

const MESSAGE_T1 = Buffer.from(INFO_MESSAGE + '\x01', 'latin1');
const CHAIN_T1 = Buffer.from(INFO_CHAIN + '\x01', 'latin1');

// KDF_CK scratch blocks, reused across calls (everything below is synchronous and node's one-shot hash
// consumes its input before returning). The constant parts (zero-key pads, info ‖ 0x01) are written once.
const EXTRACT_INNER = Buffer.alloc(BLOCK + 32, 0x36); // ipad(0³²) ‖ ck
const EXTRACT_OUTER = Buffer.alloc(BLOCK + 32, 0x5c); // opad(0³²) ‖ inner hash
const EXPAND_MESSAGE = Buffer.alloc(BLOCK + MESSAGE_T1.length, 0x36); // ipad(prk) ‖ info ‖ 0x01
const EXPAND_CHAIN = Buffer.alloc(BLOCK + CHAIN_T1.length, 0x36);
const EXPAND_OUTER = Buffer.alloc(BLOCK + 32, 0x5c); // opad(prk) ‖ inner hash
MESSAGE_T1.copy(EXPAND_MESSAGE, BLOCK);
CHAIN_T1.copy(EXPAND_CHAIN, BLOCK);

/** Write the 32 bytes of a latin1 digest string at `offset` (a plain loop beats Buffer#write for 32 chars). */
function putDigest(into: Uint8Array, offset: number, digest: string): void {
  for (let i = 0; i < 32; i++) into[offset + i] = digest.charCodeAt(i);
}

/**
 * KDF_CK, specialised: both HKDF calls share the extract step (same ikm, same zero salt), so
 * PRK = HMAC(0³², ck) is computed once, and the padded PRK blocks are shared by the two expand HMACs.
 * Six one-shot SHA-256 calls over preformatted scratch blocks, no HMAC objects. Writes the message key into
 * `mkOut` (32 bytes) and returns the next chain key (the only allocation). `ck` is read before `mkOut` is
 * written, so they may be the same buffer.
 */
export function kdfCkInto(ck: Uint8Array, mkOut: Uint8Array): Buffer {
  if (ck.length !== 32 || mkOut.length !== 32) throw new RangeError('chain and message keys are 32 bytes');
  EXTRACT_INNER.set(ck, BLOCK);
  putDigest(EXTRACT_OUTER, BLOCK, sha256Latin1(EXTRACT_INNER));
  const prk = sha256Latin1(EXTRACT_OUTER); // 32 chars, one per byte
  for (let i = 0; i < 32; i++) {
    const k = prk.charCodeAt(i);
    EXPAND_MESSAGE[i] = EXPAND_CHAIN[i] = k ^ 0x36;
    EXPAND_OUTER[i] = k ^ 0x5c;
  }
  putDigest(EXPAND_OUTER, BLOCK, sha256Latin1(EXPAND_MESSAGE));
  const mk = sha256Latin1(EXPAND_OUTER);
  putDigest(EXPAND_OUTER, BLOCK, sha256Latin1(EXPAND_CHAIN));
  const next = Buffer.from(sha256Latin1(EXPAND_OUTER), 'latin1');
  for (let i = 0; i < 32; i++) mkOut[i] = mk.charCodeAt(i);
  return next;
}

/** KDF_CK(ck) → (mk, next ck); see kdfCkInto. */
export function kdfCk(ck: Uint8Array): { mk: Buffer; ck: Buffer } {
  const mk = Buffer.allocUnsafe(32);
  const next = kdfCkInto(ck, mk);
  return { mk, ck: next };
}
