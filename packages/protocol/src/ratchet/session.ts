// Double Ratchet (Signal spec §3) as the Talos SDK runs it (talos-domain.md §4.7): X25519, HKDF-SHA256 KDFs
// (./kdf), ChaCha20-Poly1305 with a random 12-byte nonce, AAD = [associated data ‖] canonical header.
// Skipped keys are tried first, keyed by (dh, n); MAX_SKIP = 1000 per step ("Too many skipped messages").
// Decryption is transactional: nothing in the session changes unless the message authenticates.
import { createCipheriv, createDecipheriv, randomFillSync, type KeyObject } from 'node:crypto';
import { b64uDecode } from '../base64url';
import { ProtocolError } from '../errors';
import { kdfCkInto, kdfRk } from './kdf';
import { canonicalHeaderJson, checkHeader, headerJsonLength, legacyHeaderFromAad, putHeaderJson, RATCHET_NONCE_BYTES, RATCHET_TAG_BYTES, type RatchetHeader, type RatchetMessage } from './wire';
import { generateX25519KeyPair, x25519, x25519KeyPairFromPrivate, x25519PrivateKeyObject, type X25519KeyPair } from './x25519';

/** Most message keys one header may make us derive and store (reference MAX_SKIP). */
export const MAX_SKIP = 1000;
/** Bound on stored skipped keys across chains; the oldest are dropped first. */
export const MAX_STORED_SKIPPED_KEYS = 2 * MAX_SKIP;
const MAX_COUNTER = 0xffffffff;
const NONCE_POOL_BYTES = RATCHET_NONCE_BYTES * 256;

/** 1 = Talos v1.1.0 interop (single-DH "X3DH"), 2 = full X3DH with identity DHs and one-time prekeys. */
export type RatchetProtocolVersion = 1 | 2;

export interface SkippedKey {
  dh: Buffer;
  n: number;
  mk: Buffer;
}

export interface RatchetSessionInit {
  protocol: RatchetProtocolVersion;
  /** Prefix of every AAD (X3DH associated data); empty in v1.1.0. */
  ad: Buffer;
  rk: Buffer;
  dhs: X25519KeyPair;
  dhr?: Buffer;
  cks?: Buffer;
  ckr?: Buffer;
  ns?: number;
  nr?: number;
  pn?: number;
  skipped?: Map<string, SkippedKey>;
}

/** Ratchet state. Mutated in place by ratchetEncrypt/ratchetDecrypt; persist it with sealSession. */
export class RatchetSession {
  protocol: RatchetProtocolVersion;
  ad: Buffer;
  rk: Buffer;
  dhs: X25519KeyPair;
  dhr: Buffer | undefined;
  cks: Buffer | undefined;
  ckr: Buffer | undefined;
  ns: number;
  nr: number;
  pn: number;
  /** Keyed by `${dh b64u}:${n}`, insertion-ordered (oldest first). */
  skipped: Map<string, SkippedKey>;
  // Runtime caches, never serialised.
  dhsB64u: string;
  dhrB64u: string | undefined;
  private dhsKey: KeyObject | undefined;
  private nonces: Buffer | undefined;
  private nonceOffset = NONCE_POOL_BYTES;

  constructor(init: RatchetSessionInit) {
    this.protocol = init.protocol;
    this.ad = init.ad;
    this.rk = init.rk;
    this.dhs = init.dhs;
    this.dhr = init.dhr;
    this.cks = init.cks;
    this.ckr = init.ckr;
    this.ns = init.ns ?? 0;
    this.nr = init.nr ?? 0;
    this.pn = init.pn ?? 0;
    this.skipped = init.skipped ?? new Map();
    this.dhsB64u = init.dhs.publicKey.toString('base64url');
    this.dhrB64u = init.dhr?.toString('base64url');
  }

  /** Our current ratchet private key as a KeyObject (parsed lazily: only DH steps need it). */
  dhsPrivateKey(): KeyObject {
    this.dhsKey ??= x25519PrivateKeyObject(this.dhs.privateKey);
    return this.dhsKey;
  }

  setDhs(pair: X25519KeyPair): void {
    this.dhs = pair;
    this.dhsB64u = pair.publicKey.toString('base64url');
    this.dhsKey = undefined;
  }

  setDhr(pub: Buffer): void {
    this.dhr = pub;
    this.dhrB64u = pub.toString('base64url');
  }

  /** Random nonces drawn from a per-session pool: one CSPRNG call per 256 messages. */
  nextNonce(): Buffer {
    if (this.nonceOffset >= NONCE_POOL_BYTES) {
      this.nonces = randomFillSync(Buffer.allocUnsafe(NONCE_POOL_BYTES));
      this.nonceOffset = 0;
    }
    const nonce = (this.nonces as Buffer).subarray(this.nonceOffset, this.nonceOffset + RATCHET_NONCE_BYTES);
    this.nonceOffset += RATCHET_NONCE_BYTES;
    return nonce;
  }
}

function ratchetError(message: string): never {
  throw new ProtocolError('TALOS_RATCHET_ERROR', message);
}

// AAD scratch: ad (≤ 255 bytes, the state record stores its length in a u8) ‖ canonical header (≤ 90 bytes).
// headerAad returns a view of it, valid until the next headerAad call; both callers hand it to setAAD (which
// copies it into OpenSSL) before anything else can run. The views are cached per length, so building the AAD
// allocates nothing.
const AAD_SCRATCH = Buffer.allocUnsafe(512);
const AAD_VIEWS: Buffer[] = [];
const AEAD_OPTIONS = { authTagLength: RATCHET_TAG_BYTES } as const;
// Message-key scratch: the key goes from KDF_CK straight into createCipheriv/createDecipheriv (which copy it
// into OpenSSL) and is wiped right after. Keys that must outlive the call (skipped keys) get their own buffer.
const MK_SCRATCH = Buffer.alloc(32);

function headerAad(s: RatchetSession, h: RatchetHeader): Buffer {
  const adLength = s.ad.length;
  const headerLength = headerJsonLength(h);
  const length = adLength + headerLength;
  if (headerLength < 0 || length > AAD_SCRATCH.length) return Buffer.concat([s.ad, Buffer.from(canonicalHeaderJson(h), 'latin1')]);
  if (adLength !== 0) s.ad.copy(AAD_SCRATCH, 0);
  putHeaderJson(AAD_SCRATCH, adLength, h);
  return (AAD_VIEWS[length] ??= AAD_SCRATCH.subarray(0, length));
}

function seal(mk: Buffer, nonce: Buffer, aad: Buffer, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', mk, nonce, AEAD_OPTIONS);
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const body = cipher.update(plaintext);
  cipher.final();
  const out = Buffer.allocUnsafe(body.length + RATCHET_TAG_BYTES);
  body.copy(out, 0);
  cipher.getAuthTag().copy(out, body.length);
  return out;
}

function open(mk: Buffer, m: RatchetMessage, aad: Buffer): Buffer {
  const ct = m.ciphertext;
  if (m.nonce.length !== RATCHET_NONCE_BYTES || ct.length < RATCHET_TAG_BYTES) {
    throw new ProtocolError('TALOS_FRAME_INVALID', 'bad nonce or ciphertext length');
  }
  try {
    const decipher = createDecipheriv('chacha20-poly1305', mk, m.nonce, AEAD_OPTIONS);
    decipher.setAAD(aad, { plaintextLength: ct.length - RATCHET_TAG_BYTES });
    decipher.setAuthTag(ct.subarray(ct.length - RATCHET_TAG_BYTES));
    const pt = decipher.update(ct.subarray(0, ct.length - RATCHET_TAG_BYTES));
    decipher.final();
    return pt;
  } catch {
    throw new ProtocolError('TALOS_CRYPTO_ERROR', 'message authentication failed');
  }
}

/** open() with the message key KDF_CK just wrote into MK_SCRATCH; wipes it whatever happens. */
function openWithScratchKey(m: RatchetMessage, aad: Buffer): Buffer {
  try {
    return open(MK_SCRATCH, m, aad);
  } finally {
    MK_SCRATCH.fill(0);
  }
}

export interface EncryptOptions {
  /** 12 bytes; random by default. Injectable only for reproducing vectors. */
  nonce?: Uint8Array;
}

export function ratchetEncrypt(s: RatchetSession, plaintext: Uint8Array, opts?: EncryptOptions): RatchetMessage {
  if (s.cks === undefined) ratchetError('session has no sending chain yet (responder must receive first)');
  if (s.ns >= MAX_COUNTER) ratchetError('sending chain exhausted');
  const header: RatchetHeader = { dh: s.dhsB64u, pn: s.pn, n: s.ns };
  const nonce = opts?.nonce ? Buffer.from(opts.nonce) : s.nextNonce();
  if (nonce.length !== RATCHET_NONCE_BYTES) throw new ProtocolError('TALOS_INVALID_INPUT', 'nonce must be 12 bytes');
  const ck = kdfCkInto(s.cks, MK_SCRATCH);
  let ciphertext: Buffer;
  try {
    ciphertext = seal(MK_SCRATCH, nonce, headerAad(s, header), plaintext);
  } finally {
    MK_SCRATCH.fill(0);
  }
  s.cks = ck;
  s.ns++;
  return { header, nonce, ciphertext };
}

export interface DecryptOptions {
  /** Private key for the new ratchet pair if this message triggers a DH step; random by default. */
  ratchetPrivateKey?: Uint8Array;
}

/** Derive the keys between `from` and `until` (exclusive) of a receiving chain; returns the chain key at `until`. */
function skipKeys(ck: Buffer, dh: Buffer, from: number, until: number, into: SkippedKey[]): Buffer {
  if (until - from > MAX_SKIP) ratchetError('Too many skipped messages');
  let chain = ck;
  for (let n = from; n < until; n++) {
    const mk = Buffer.allocUnsafe(32);
    chain = kdfCkInto(chain, mk);
    into.push({ dh, n, mk });
  }
  return chain;
}

function storeSkipped(s: RatchetSession, keys: SkippedKey[]): void {
  for (const k of keys) s.skipped.set(`${k.dh.toString('base64url')}:${k.n}`, k);
  while (s.skipped.size > MAX_STORED_SKIPPED_KEYS) {
    s.skipped.delete(s.skipped.keys().next().value as string);
  }
}

export function ratchetDecrypt(s: RatchetSession, m: RatchetMessage, opts?: DecryptOptions): Buffer {
  const h = checkHeader(m.header);
  let aad: Buffer;
  if (m.aad === undefined) {
    aad = headerAad(s, h);
  } else {
    // Legacy v1.0 AAD (the header bytes as sent) must describe the very header that drives the ratchet.
    if (s.protocol !== 1) throw new ProtocolError('TALOS_PROTOCOL_MISMATCH', 'v1.0 messages only exist in protocol 1 sessions');
    const bound = legacyHeaderFromAad(m.aad);
    if (bound.dh !== h.dh || bound.n !== h.n || bound.pn !== h.pn) throw new ProtocolError('TALOS_FRAME_INVALID', 'AAD does not match the header');
    aad = m.aad;
  }

  if (s.skipped.size > 0) {
    const id = `${h.dh}:${h.n}`;
    const skipped = s.skipped.get(id);
    if (skipped) {
      const pt = open(skipped.mk, m, aad);
      s.skipped.delete(id);
      return pt;
    }
  }

  const newSkipped: SkippedKey[] = [];
  if (h.dh === s.dhrB64u) {
    // Same receiving chain: no DH step. (An initiator knows the responder's prekey but has no chain for it.)
    if (s.ckr === undefined) ratchetError('no receiving chain for this ratchet key');
    if (h.n < s.nr) ratchetError('message key already used or dropped');
    const next = kdfCkInto(skipKeys(s.ckr, s.dhr as Buffer, s.nr, h.n, newSkipped), MK_SCRATCH);
    const pt = openWithScratchKey(m, aad);
    s.ckr = next;
    s.nr = h.n + 1;
    if (newSkipped.length > 0) storeSkipped(s, newSkipped);
    return pt;
  }

  // New remote ratchet key: finish the old receiving chain up to pn, then DH-ratchet twice (staged).
  if (s.ckr !== undefined && s.dhr !== undefined) {
    skipKeys(s.ckr, s.dhr, s.nr, h.pn, newSkipped);
  }
  if (h.n > MAX_SKIP) ratchetError('Too many skipped messages');
  const dhr = b64uDecode(h.dh);
  const recv = kdfRk(s.rk, x25519(s.dhsPrivateKey(), dhr));
  const next = opts?.ratchetPrivateKey ? x25519KeyPairFromPrivate(opts.ratchetPrivateKey) : generateX25519KeyPair();
  const send = kdfRk(recv.rk, x25519(next.privateKey, dhr));
  const ckr = kdfCkInto(skipKeys(recv.ck, dhr, 0, h.n, newSkipped), MK_SCRATCH);
  const pt = openWithScratchKey(m, aad);

  s.pn = s.ns;
  s.ns = 0;
  s.nr = h.n + 1;
  s.setDhr(dhr);
  s.setDhs(next);
  s.rk = send.rk;
  s.cks = send.ck;
  s.ckr = ckr;
  if (newSkipped.length > 0) storeSkipped(s, newSkipped);
  return pt;
}
