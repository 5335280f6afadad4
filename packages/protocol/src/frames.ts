// A2A encrypted frames (talos-domain.md §4.3): integrity digests, size limits, sender sequence window and the
// replay key. `ciphertext_hash` covers exactly the decoded bytes of `ciphertext_b64u` (the gateway rule; the
// Python SDK's nonce-less preimage, §10.27, is not followed). Check order: shape → size → ciphertext hash →
// frame digest; the caller then checks replay (frameReplayKey) and the sequence window.
import { b64uDecode, b64uDecodedLength, b64uEncode, isB64u } from './base64url';
import { canonicalizeForHash } from './canonical-json';
import { canonicalDigestHex, digestEquals, isSha256Hex, sha256Hex } from './digest';
import { ProtocolError } from './errors';
import { isUuidv7 } from './uuidv7';

export const A2A_FRAME_SCHEMA_ID = 'talos.a2a.encrypted_frame';
export const A2A_FRAME_SCHEMA_VERSION = 'v1';
/** §4.3 A2A_MAX_FRAME_BYTES: decoded ciphertext limit. */
export const A2A_MAX_FRAME_BYTES = 1_048_576;
/** Decoded header limit (the reference has none). Ratchet headers are < 200 bytes; 8 KiB leaves room. */
export const A2A_MAX_HEADER_BYTES = 8_192;
/** §4.3 A2A_MAX_FUTURE_DELTA: how far ahead of the highest seen sequence a sender may jump. */
export const A2A_MAX_FUTURE_DELTA = 1024;
const MAX_SENDER_ID_CHARS = 255;

export interface FrameFields {
  session_id: string;
  sender_id: string;
  sender_seq: number;
  header_b64u: string;
  ciphertext_b64u: string;
}

export interface EncryptedFrame extends FrameFields {
  frame_digest: string;
  ciphertext_hash: string;
}

export interface FramePreimage {
  schema_id: typeof A2A_FRAME_SCHEMA_ID;
  schema_version: typeof A2A_FRAME_SCHEMA_VERSION;
  session_id: string;
  sender_id: string;
  sender_seq: number;
  header_b64u: string;
  ciphertext_hash: string;
}

function schemaInvalid(message: string): never {
  throw new ProtocolError('A2A_FRAME_SCHEMA_INVALID', message);
}

export function ciphertextHash(ciphertextB64u: string): string {
  let bytes: Buffer;
  try {
    bytes = b64uDecode(ciphertextB64u);
  } catch {
    return schemaInvalid('ciphertext_b64u is not unpadded base64url');
  }
  return sha256Hex(bytes);
}

export function framePreimage(frame: Omit<FramePreimage, 'schema_id' | 'schema_version'>): FramePreimage {
  return {
    schema_id: A2A_FRAME_SCHEMA_ID,
    schema_version: A2A_FRAME_SCHEMA_VERSION,
    session_id: frame.session_id,
    sender_id: frame.sender_id,
    sender_seq: frame.sender_seq,
    header_b64u: frame.header_b64u,
    ciphertext_hash: frame.ciphertext_hash,
  };
}

/** Canonical preimage bytes of `frame_digest`. */
export function framePreimageBytes(frame: Omit<FramePreimage, 'schema_id' | 'schema_version'>): Buffer {
  return Buffer.from(canonicalizeForHash(framePreimage(frame)), 'utf8');
}

export function frameDigest(frame: Omit<FramePreimage, 'schema_id' | 'schema_version'>): string {
  return canonicalDigestHex(framePreimage(frame));
}

function checkShape(f: FrameFields): void {
  if (f === null || typeof f !== 'object') schemaInvalid('frame must be an object');
  if (!isUuidv7(f.session_id)) schemaInvalid('session_id must be a UUIDv7');
  if (typeof f.sender_id !== 'string' || f.sender_id.length === 0 || f.sender_id.length > MAX_SENDER_ID_CHARS) {
    schemaInvalid('sender_id must be 1-255 characters');
  }
  if (!Number.isSafeInteger(f.sender_seq) || f.sender_seq < 0) schemaInvalid('sender_seq must be a non-negative integer');
  if (!isB64u(f.header_b64u) || f.header_b64u.length === 0) schemaInvalid('header_b64u is not unpadded base64url');
  if (typeof f.ciphertext_b64u !== 'string') schemaInvalid('ciphertext_b64u must be a string');
  if (b64uDecodedLength(f.header_b64u) > A2A_MAX_HEADER_BYTES) {
    throw new ProtocolError('A2A_FRAME_SIZE_EXCEEDED', `header exceeds ${A2A_MAX_HEADER_BYTES} bytes`);
  }
  // Size before decoding: never spend work on an oversized body.
  if (b64uDecodedLength(f.ciphertext_b64u) > A2A_MAX_FRAME_BYTES) {
    throw new ProtocolError('A2A_FRAME_SIZE_EXCEEDED', `ciphertext exceeds ${A2A_MAX_FRAME_BYTES} bytes`);
  }
}

/** Build a frame from raw header and ciphertext bytes (client side). */
export function buildFrame(fields: {
  session_id: string;
  sender_id: string;
  sender_seq: number;
  header: Uint8Array;
  ciphertext: Uint8Array;
}): EncryptedFrame {
  const base: FrameFields = {
    session_id: fields.session_id,
    sender_id: fields.sender_id,
    sender_seq: fields.sender_seq,
    header_b64u: b64uEncode(fields.header),
    ciphertext_b64u: b64uEncode(fields.ciphertext),
  };
  checkShape(base);
  const ciphertext_hash = sha256Hex(fields.ciphertext);
  return { ...base, ciphertext_hash, frame_digest: frameDigest({ ...base, ciphertext_hash }) };
}

/** Server-side integrity checks of an inbound frame, in the §4.3 order. */
export function verifyFrame(frame: EncryptedFrame): void {
  checkShape(frame);
  if (!isSha256Hex(frame.ciphertext_hash) || !isSha256Hex(frame.frame_digest)) schemaInvalid('digests must be sha256 hex');
  if (!digestEquals(ciphertextHash(frame.ciphertext_b64u), frame.ciphertext_hash)) {
    throw new ProtocolError('A2A_FRAME_CIPHERTEXT_HASH_MISMATCH', 'ciphertext_hash does not match the ciphertext');
  }
  if (!digestEquals(frameDigest(frame), frame.frame_digest)) {
    throw new ProtocolError('A2A_FRAME_DIGEST_MISMATCH', 'frame_digest does not match the frame');
  }
}

/**
 * Sender sequence window: out-of-order delivery is fine, but a sender may not run more than
 * A2A_MAX_FUTURE_DELTA ahead of the highest sequence stored so far (undefined = none yet, i.e. −1).
 */
export function checkSenderSequence(senderSeq: number, maxSeen: number | undefined): void {
  const highest = maxSeen ?? -1;
  if (senderSeq > highest + A2A_MAX_FUTURE_DELTA) {
    throw new ProtocolError('A2A_FRAME_SEQUENCE_TOO_FAR', `sender_seq ${senderSeq} is more than ${A2A_MAX_FUTURE_DELTA} ahead of ${highest}`);
  }
}

/** Unambiguous replay key (session_id, sender_id, sender_seq); a stored key means A2A_FRAME_REPLAY_DETECTED. */
export function frameReplayKey(frame: Pick<FrameFields, 'session_id' | 'sender_id' | 'sender_seq'>): string {
  return JSON.stringify([frame.session_id, frame.sender_id, frame.sender_seq]);
}
