// Ratchet headers and wire formats (talos-domain.md §4.7; vectors header_canonical_bytes.json,
// wire_message_canonical.json, v1_1_0_roundtrip.json, roundtrip_basic.json).
// v1.1.0: header {dh, n, pn}; AAD = canonical header bytes; wire = canonical JSON {ciphertext, header, nonce}.
// v1.0 (decode only): u16 BE header length ‖ header JSON in insertion order (dh, pn, n) ‖ nonce(12) ‖ ct+tag,
// with those exact header bytes as AAD.
import { b64uDecode, b64uEncode, isB64u } from '../base64url';
import { ProtocolError } from '../errors';
import { parseStrictJson } from '../strict-json';

export const RATCHET_NONCE_BYTES = 12;
export const RATCHET_TAG_BYTES = 16;
const MAX_COUNTER = 0xffffffff;

export interface RatchetHeader {
  /** Sender's current ratchet public key, base64url (32 bytes). */
  dh: string;
  /** Length of the sender's previous sending chain. */
  pn: number;
  /** Message number in the current sending chain. */
  n: number;
}

export interface RatchetMessage {
  header: RatchetHeader;
  nonce: Buffer;
  /** AEAD output: ciphertext ‖ 16-byte tag. */
  ciphertext: Buffer;
  /** Exact AAD for legacy v1.0 messages; v1.1.0 uses the canonical header. */
  aad?: Buffer;
}

function frameInvalid(message: string): never {
  throw new ProtocolError('TALOS_FRAME_INVALID', message);
}

const isCounter = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_COUNTER;

export function checkHeader(h: unknown): RatchetHeader {
  if (h === null || typeof h !== 'object' || Array.isArray(h)) frameInvalid('header must be an object');
  const { dh, pn, n } = h as Record<string, unknown>;
  if (Object.keys(h).length !== 3 || !isB64u(dh) || dh.length !== 43) frameInvalid('header needs exactly dh (32-byte key), pn, n');
  if (!isCounter(pn) || !isCounter(n)) frameInvalid('header counters must be unsigned 32-bit integers');
  return h as RatchetHeader;
}

/** Canonical header JSON. `dh` is base64url so it needs no escaping and this template is exactly RFC 8785. */
export function canonicalHeaderJson(h: RatchetHeader): string {
  return `{"dh":"${h.dh}","n":${h.n},"pn":${h.pn}}`;
}

export function canonicalHeaderBytes(h: RatchetHeader): Buffer {
  return Buffer.from(canonicalHeaderJson(checkHeader(h)), 'latin1');
}

function wireJson(m: RatchetMessage): string {
  return `{"ciphertext":"${b64uEncode(m.ciphertext)}","header":${canonicalHeaderJson(m.header)},"nonce":"${b64uEncode(m.nonce)}"}`;
}

/** v1.1.0 wire message: canonical JSON bytes of {ciphertext, header, nonce}. */
export function encodeWireMessage(m: RatchetMessage): Buffer {
  return Buffer.from(wireJson(m), 'latin1');
}

function checkBody(nonce: Buffer, ciphertext: Buffer): void {
  if (nonce.length !== RATCHET_NONCE_BYTES) frameInvalid('nonce must be 12 bytes');
  if (ciphertext.length < RATCHET_TAG_BYTES) frameInvalid('ciphertext shorter than the tag');
}

const WIRE_PREFIX = '{"ciphertext":"';
// Everything after the ciphertext string. The canonical JSON of {ciphertext, header, nonce} with base64url
// strings and decimal counters is fully determined, so matching this template *is* "parse, then require the
// canonical form" (no duplicate keys, no reordering, no whitespace) without a JSON parse of a 1 MiB string.
const WIRE_TAIL_RE = /^","header":\{"dh":"([A-Za-z0-9_-]{43})","n":(0|[1-9][0-9]{0,9}),"pn":(0|[1-9][0-9]{0,9})\},"nonce":"([A-Za-z0-9_-]*)"\}$/;

/** Decode a v1.1.0 wire message; only the canonical encoding is accepted. */
export function decodeWireMessage(wire: Uint8Array | string): RatchetMessage {
  const text = typeof wire === 'string' ? wire : Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength).toString('latin1');
  const end = text.startsWith(WIRE_PREFIX) ? text.indexOf('"', WIRE_PREFIX.length) : -1;
  const tail = end < 0 ? null : WIRE_TAIL_RE.exec(text.slice(end));
  if (tail === null) frameInvalid('wire message is not canonical JSON {ciphertext, header, nonce}');
  let message: RatchetMessage;
  try {
    message = {
      header: checkHeader({ dh: tail[1], n: Number(tail[2]), pn: Number(tail[3]) }),
      nonce: b64uDecode(tail[4]),
      ciphertext: b64uDecode(text.slice(WIRE_PREFIX.length, end)),
    };
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'TALOS_FRAME_INVALID') throw err;
    return frameInvalid('wire message fields are not canonical base64url');
  }
  checkBody(message.nonce, message.ciphertext);
  return message;
}

/** Header carried by v1.0 AAD bytes (strict JSON with exactly dh, pn, n). */
export function legacyHeaderFromAad(aad: Uint8Array): RatchetHeader {
  try {
    return checkHeader(parseStrictJson(aad));
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'TALOS_FRAME_INVALID') throw err;
    return frameInvalid('v1.0 header is not strict JSON');
  }
}

/** Decode a legacy v1.0 binary wire message (AAD = the header bytes exactly as sent). */
export function decodeWireMessageV1_0(wire: Uint8Array): RatchetMessage {
  const buf = Buffer.from(wire.buffer, wire.byteOffset, wire.byteLength);
  if (buf.length < 2) frameInvalid('v1.0 wire message too short');
  const headerLength = buf.readUInt16BE(0);
  const headerEnd = 2 + headerLength;
  if (buf.length < headerEnd + RATCHET_NONCE_BYTES + RATCHET_TAG_BYTES) frameInvalid('v1.0 wire message truncated');
  const aad = Buffer.from(buf.subarray(2, headerEnd));
  const header = legacyHeaderFromAad(aad);
  const nonce = Buffer.from(buf.subarray(headerEnd, headerEnd + RATCHET_NONCE_BYTES));
  const ciphertext = Buffer.from(buf.subarray(headerEnd + RATCHET_NONCE_BYTES));
  return { header, nonce, ciphertext, aad };
}

/** A2A frame parts (§4.7 frame mapping): header_b64u = b64u(canonical header), ciphertext_b64u = b64u(nonce ‖ ct). */
export function ratchetMessageToFrameParts(m: RatchetMessage): { header: Buffer; ciphertext: Buffer } {
  return { header: canonicalHeaderBytes(m.header), ciphertext: Buffer.concat([m.nonce, m.ciphertext]) };
}

export function ratchetMessageFromFrameParts(header: Uint8Array, ciphertext: Uint8Array): RatchetMessage {
  let parsed: RatchetHeader;
  try {
    parsed = checkHeader(parseStrictJson(header));
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'TALOS_FRAME_INVALID') throw err;
    return frameInvalid('frame header is not strict JSON');
  }
  if (!canonicalHeaderBytes(parsed).equals(Buffer.from(header))) frameInvalid('frame header is not canonical');
  const body = Buffer.from(ciphertext);
  const message = { header: parsed, nonce: body.subarray(0, RATCHET_NONCE_BYTES), ciphertext: body.subarray(RATCHET_NONCE_BYTES) };
  checkBody(message.nonce, message.ciphertext);
  return message;
}
