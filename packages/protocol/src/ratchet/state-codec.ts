// Ratchet session persistence. The reference uploads b64u(canonical JSON of the raw state) — private DH key,
// root/chain keys and skipped keys in the clear (talos-domain.md §4.7, §10.32). Here the state is a compact
// binary record that is only ever stored sealed in a secret envelope under a key the client holds; the
// gateway sees an opaque blob plus its digest.
//
// Record layout (all integers big-endian):
//   'T' 0x01 | protocol u8 | flags u8 (1 = dhr, 2 = cks, 4 = ckr) | ad_len u8 | ad
//   | rk 32 | dhs_priv 32 | dhs_pub 32 | [dhr 32] | [cks 32] | [ckr 32] | ns u32 | nr u32 | pn u32
//   | skipped_count u32 | skipped_count × (dh 32 | n u32 | mk 32)
import { b64uDecode, b64uEncode } from '../base64url';
import { canonicalizeForHash } from '../canonical-json';
import { sha256Hex } from '../digest';
import { decryptEnvelope, encryptEnvelope, type Keyring, type SecretEnvelope } from '../envelope';
import { ProtocolError } from '../errors';
import { parseStrictJson } from '../strict-json';
import { RatchetSession, type SkippedKey } from './session';

const MAGIC = 0x54;
const FORMAT_VERSION = 0x01;
const FLAG_DHR = 1;
const FLAG_CKS = 2;
const FLAG_CKR = 4;
const KEY = 32;
const SKIPPED_ENTRY = KEY + 4 + KEY;
export const RATCHET_STATE_AAD_PREFIX = 'talos.ratchet_state.v1:';

function invalid(message: string): never {
  throw new ProtocolError('SESSION_STATE_INVALID', message);
}

export function serializeSession(s: RatchetSession): Buffer {
  const flags = (s.dhr ? FLAG_DHR : 0) | (s.cks ? FLAG_CKS : 0) | (s.ckr ? FLAG_CKR : 0);
  const optional = (s.dhr ? KEY : 0) + (s.cks ? KEY : 0) + (s.ckr ? KEY : 0);
  const size = 5 + s.ad.length + 3 * KEY + optional + 16 + s.skipped.size * SKIPPED_ENTRY;
  const out = Buffer.allocUnsafe(size);
  out[0] = MAGIC;
  out[1] = FORMAT_VERSION;
  out[2] = s.protocol;
  out[3] = flags;
  out[4] = s.ad.length;
  let o = 5;
  o += s.ad.copy(out, o);
  o += s.rk.copy(out, o);
  o += s.dhs.privateKey.copy(out, o);
  o += s.dhs.publicKey.copy(out, o);
  if (s.dhr) o += s.dhr.copy(out, o);
  if (s.cks) o += s.cks.copy(out, o);
  if (s.ckr) o += s.ckr.copy(out, o);
  o = out.writeUInt32BE(s.ns, o);
  o = out.writeUInt32BE(s.nr, o);
  o = out.writeUInt32BE(s.pn, o);
  o = out.writeUInt32BE(s.skipped.size, o);
  for (const k of s.skipped.values()) {
    o += k.dh.copy(out, o);
    o = out.writeUInt32BE(k.n, o);
    o += k.mk.copy(out, o);
  }
  return out;
}

export function deserializeSession(bytes: Uint8Array): RatchetSession {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 5 || buf[0] !== MAGIC || buf[1] !== FORMAT_VERSION) invalid('not a ratchet state record');
  const protocol = buf[2];
  const flags = buf[3];
  const adLength = buf[4];
  if ((protocol !== 1 && protocol !== 2) || flags > 7) invalid('unknown protocol or flags');
  const optional = (flags & FLAG_DHR ? KEY : 0) + (flags & FLAG_CKS ? KEY : 0) + (flags & FLAG_CKR ? KEY : 0);
  const fixed = 5 + adLength + 3 * KEY + optional + 16;
  if (buf.length < fixed) invalid('ratchet state truncated');
  // One copy of the whole record, then views into it: the caller may reuse its buffer.
  const own = Buffer.from(buf);
  let o = 5;
  const take = (n: number) => own.subarray(o, (o += n));
  const ad = take(adLength);
  const rk = take(KEY);
  const dhs = { privateKey: take(KEY), publicKey: take(KEY) };
  const dhr = flags & FLAG_DHR ? take(KEY) : undefined;
  const cks = flags & FLAG_CKS ? take(KEY) : undefined;
  const ckr = flags & FLAG_CKR ? take(KEY) : undefined;
  const ns = own.readUInt32BE(o);
  const nr = own.readUInt32BE(o + 4);
  const pn = own.readUInt32BE(o + 8);
  const count = own.readUInt32BE(o + 12);
  o += 16;
  if (own.length !== fixed + count * SKIPPED_ENTRY) invalid('ratchet state length mismatch');
  const skipped = new Map<string, SkippedKey>();
  for (let i = 0; i < count; i++) {
    const dh = take(KEY);
    const n = own.readUInt32BE(o);
    o += 4;
    skipped.set(`${dh.toString('base64url')}:${n}`, { dh, n, mk: take(KEY) });
  }
  if (skipped.size !== count) invalid('duplicate skipped key');
  return new RatchetSession({ protocol, ad, rk, dhs, dhr, cks, ckr, ns, nr, pn, skipped });
}

export function ratchetStateAad(sessionId: string): string {
  if (typeof sessionId !== 'string' || sessionId.length === 0) throw new ProtocolError('VALIDATION_ERROR', 'session id required');
  return RATCHET_STATE_AAD_PREFIX + sessionId;
}

/** Encrypt the state at rest (AES-256-GCM envelope, AAD bound to the A2A session id). */
export function sealSession(
  s: RatchetSession,
  opts: { kekId: string; kek: Uint8Array; sessionId: string; nonce?: Uint8Array },
): SecretEnvelope {
  return encryptEnvelope({ kekId: opts.kekId, kek: opts.kek, plaintext: serializeSession(s), aad: ratchetStateAad(opts.sessionId), nonce: opts.nonce });
}

export function openSession(envelope: SecretEnvelope, opts: { keyring: Keyring; sessionId: string }): RatchetSession {
  return deserializeSession(decryptEnvelope(envelope, { keyring: opts.keyring, aad: ratchetStateAad(opts.sessionId) }));
}

/** What the channels API stores: ratchet_state_blob (b64u of the canonical envelope JSON) and its sha256 hex. */
export function ratchetStateBlob(envelope: SecretEnvelope): { ratchet_state_blob_b64u: string; ratchet_state_digest: string } {
  const bytes = Buffer.from(canonicalizeForHash(envelope), 'utf8');
  return { ratchet_state_blob_b64u: b64uEncode(bytes), ratchet_state_digest: sha256Hex(bytes) };
}

export function envelopeFromRatchetStateBlob(blobB64u: string, expectedDigest?: string): SecretEnvelope {
  let bytes: Buffer;
  try {
    bytes = b64uDecode(blobB64u);
  } catch {
    return invalid('ratchet state blob is not base64url');
  }
  if (expectedDigest !== undefined && sha256Hex(bytes) !== expectedDigest) invalid('ratchet state digest mismatch');
  try {
    return parseStrictJson(bytes) as unknown as SecretEnvelope;
  } catch {
    return invalid('ratchet state blob is not JSON');
  }
}
