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
const IPAD_ZERO_KEY = Buffer.alloc(BLOCK, 0x36);
const OPAD_ZERO_KEY = Buffer.alloc(BLOCK, 0x5c);

/**
 * KDF_CK, specialised: both HKDF calls share the extract step (same ikm, same zero salt), so
 * PRK = HMAC(0³², ck) is computed once, and the padded PRK blocks are shared by the two expand HMACs.
 * Six SHA-256 compressions' worth of one-shot hashes, no HMAC objects.
 */
export function kdfCk(ck: Uint8Array): { mk: Buffer; ck: Buffer } {
  // One scratch allocation: [0, 96) extract block, [96, 96+64+29) inner expand block, then outer expand block.
  const scratch = Buffer.allocUnsafe(96 + BLOCK + MESSAGE_T1.length + BLOCK + 32);
  const extract = scratch.subarray(0, 96);
  IPAD_ZERO_KEY.copy(extract, 0);
  extract.set(ck, BLOCK);
  extract.write(sha256Latin1(extract), BLOCK, 'latin1');
  OPAD_ZERO_KEY.copy(extract, 0);
  const prk = sha256Latin1(extract); // 32 chars, one per byte

  const ipad = scratch.subarray(96, 96 + BLOCK + MESSAGE_T1.length);
  const opad = scratch.subarray(96 + BLOCK + MESSAGE_T1.length);
  for (let i = 0; i < 32; i++) {
    const k = prk.charCodeAt(i);
    ipad[i] = k ^ 0x36;
    opad[i] = k ^ 0x5c;
  }
  ipad.fill(0x36, 32, BLOCK);
  opad.fill(0x5c, 32, BLOCK);
  MESSAGE_T1.copy(ipad, BLOCK);
  opad.write(sha256Latin1(ipad), BLOCK, 'latin1');
  const mk = Buffer.from(sha256Latin1(opad), 'latin1');
  CHAIN_T1.copy(ipad, BLOCK);
  opad.write(sha256Latin1(ipad.subarray(0, BLOCK + CHAIN_T1.length)), BLOCK, 'latin1');
  return { mk, ck: Buffer.from(sha256Latin1(opad), 'latin1') };
}
