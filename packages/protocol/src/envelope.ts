// Secret envelopes v1 (talos-domain.md §2.1–2.2; vector secrets/envelope_v1.json): AES-256-GCM, 96-bit nonce,
// 128-bit tag stored apart from the ciphertext, AAD "talos.secret.v1:<secret id>". Decryption always needs the
// caller's expected AAD: a stored `aad_b64u` is never trusted on its own (§10.17). Errors are KEK_NOT_LOADED,
// ENVELOPE_INVALID and DECRYPT_FAILED, with no detail about why authentication failed.
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { b64uDecode, b64uEncode } from './base64url';
import { ProtocolError } from './errors';

export const SECRET_AAD_PREFIX = 'talos.secret.v1:';
export const KEK_ID_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const ENVELOPE_KEY_BYTES = 32;
export const ENVELOPE_NONCE_BYTES = 12;
export const ENVELOPE_TAG_BYTES = 16;
const ENVELOPE_FIELDS = new Set(['kek_id', 'nonce_b64u', 'ciphertext_b64u', 'tag_b64u', 'aad_b64u']);

/** Contract `schemas/secrets/envelope.v1.schema.json` (closed). */
export interface SecretEnvelope {
  kek_id: string;
  nonce_b64u: string;
  ciphertext_b64u: string;
  tag_b64u: string;
  aad_b64u?: string;
}

/** Where KEKs come from: a Map works; so does any lookup with the same shape. */
export interface Keyring {
  get(kekId: string): Uint8Array | undefined;
}

function bytes(v: Uint8Array | string): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** AAD that binds a secret's ciphertext to its stable UUIDv7 id (so renames keep working). */
export function secretAad(secretId: string): Buffer {
  if (typeof secretId !== 'string' || secretId.length === 0) throw new ProtocolError('VALIDATION_ERROR', 'secret id required');
  return Buffer.from(SECRET_AAD_PREFIX + secretId, 'utf8');
}

/** Decode a KEK given as unpadded base64url (TALOS_KEK_<id>); anything but exactly 32 bytes is a config error. */
export function decodeKek(value: string): Buffer {
  let key: Buffer;
  try {
    key = b64uDecode(value);
  } catch {
    throw new ProtocolError('CONFIG_ERROR', 'KEK is not unpadded base64url');
  }
  if (key.length !== ENVELOPE_KEY_BYTES) throw new ProtocolError('CONFIG_ERROR', 'KEK must be exactly 32 bytes');
  return key;
}

export interface EncryptEnvelopeOptions {
  kekId: string;
  kek: Uint8Array;
  plaintext: Uint8Array | string;
  aad: Uint8Array | string;
  /** 12 bytes; random by default. Injectable only so vectors can be reproduced. */
  nonce?: Uint8Array;
}

export function encryptEnvelope(opts: EncryptEnvelopeOptions): SecretEnvelope {
  if (!KEK_ID_RE.test(opts.kekId)) throw new ProtocolError('VALIDATION_ERROR', 'invalid KEK id');
  if (opts.kek.length !== ENVELOPE_KEY_BYTES) throw new ProtocolError('VALIDATION_ERROR', 'KEK must be 32 bytes');
  const nonce = opts.nonce ?? randomFillSync(Buffer.alloc(ENVELOPE_NONCE_BYTES));
  if (nonce.length !== ENVELOPE_NONCE_BYTES) throw new ProtocolError('VALIDATION_ERROR', 'nonce must be 12 bytes');
  const aad = bytes(opts.aad);
  if (aad.length === 0) throw new ProtocolError('VALIDATION_ERROR', 'AAD required');
  const cipher = createCipheriv('aes-256-gcm', opts.kek, nonce, { authTagLength: ENVELOPE_TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(bytes(opts.plaintext)), cipher.final()]);
  return {
    kek_id: opts.kekId,
    nonce_b64u: b64uEncode(nonce),
    ciphertext_b64u: b64uEncode(ciphertext),
    tag_b64u: b64uEncode(cipher.getAuthTag()),
    aad_b64u: b64uEncode(aad),
  };
}

export interface DecryptEnvelopeOptions {
  keyring: Keyring;
  /** The AAD this caller expects (e.g. secretAad(id)); required. */
  aad: Uint8Array | string;
}

function invalid(): never {
  throw new ProtocolError('ENVELOPE_INVALID', 'envelope is malformed');
}

export function decryptEnvelope(envelope: unknown, opts: DecryptEnvelopeOptions): Buffer {
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) invalid();
  const env = envelope as Record<string, unknown>;
  for (const key of Object.keys(env)) if (!ENVELOPE_FIELDS.has(key)) invalid();
  const { kek_id, nonce_b64u, ciphertext_b64u, tag_b64u, aad_b64u } = env;
  if (typeof kek_id !== 'string' || !KEK_ID_RE.test(kek_id)) invalid();
  if (typeof nonce_b64u !== 'string' || typeof ciphertext_b64u !== 'string' || typeof tag_b64u !== 'string') invalid();
  if (aad_b64u !== undefined && typeof aad_b64u !== 'string') invalid();

  const kek = opts.keyring.get(kek_id);
  if (kek === undefined) throw new ProtocolError('KEK_NOT_LOADED', `KEK ${kek_id} is not loaded`);
  if (kek.length !== ENVELOPE_KEY_BYTES) throw new ProtocolError('CONFIG_ERROR', `KEK ${kek_id} is not 32 bytes`);

  let nonce: Buffer, ciphertext: Buffer, tag: Buffer, storedAad: Buffer | undefined;
  try {
    nonce = b64uDecode(nonce_b64u);
    ciphertext = b64uDecode(ciphertext_b64u);
    tag = b64uDecode(tag_b64u);
    storedAad = aad_b64u === undefined ? undefined : b64uDecode(aad_b64u);
  } catch {
    return invalid();
  }
  if (nonce.length !== ENVELOPE_NONCE_BYTES || tag.length !== ENVELOPE_TAG_BYTES) invalid();

  const aad = bytes(opts.aad);
  if (aad.length === 0) throw new ProtocolError('VALIDATION_ERROR', 'expected AAD required');
  if (storedAad !== undefined && !storedAad.equals(aad)) throw new ProtocolError('DECRYPT_FAILED', 'decryption failed');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, nonce, { authTagLength: ENVELOPE_TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new ProtocolError('DECRYPT_FAILED', 'decryption failed');
  }
}
