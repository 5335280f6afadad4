// Ratchet headers and wire formats (talos-domain.md §4.7; vectors header_canonical_bytes.json,
// wire_message_canonical.json, v1_1_0_roundtrip.json, roundtrip_basic.json).
// v1.1.0: header {dh, n, pn}; AAD = canonical header bytes; wire = canonical JSON {ciphertext, header, nonce}.
// v1.0 (decode only): u16 BE header length ‖ header JSON in insertion order (dh, pn, n) ‖ nonce(12) ‖ ct+tag,
// with those exact header bytes as AAD.
import { b64uDecode, isB64u } from '../base64url';
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

/** Writes `text` as latin1 (one byte per UTF-16 code unit, low 8 bits — what Buffer#write 'latin1' does). */
function putLatin1(out: Uint8Array, o: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[o++] = text.charCodeAt(i);
  return o;
}

const isUint32 = (v: unknown): v is number => typeof v === 'number' && v >>> 0 === v;
const decimalDigits = (v: number): number => (v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10);

/**
 * Byte length of canonicalHeaderJson(h) when it can be written without building the string (dh a string,
 * counters unsigned 32-bit integers — always the case for checked headers and session counters), else -1.
 */
export function headerJsonLength(h: RatchetHeader): number {
  if (typeof h.dh !== 'string' || !isUint32(h.n) || !isUint32(h.pn)) return -1;
  return 20 + h.dh.length + decimalDigits(h.n) + decimalDigits(h.pn);
}

function putDecimal(out: Uint8Array, o: number, v: number): number {
  const end = o + decimalDigits(v);
  for (let i = end - 1; i >= o; i--) {
    const q = Math.floor(v / 10);
    out[i] = 0x30 + v - q * 10;
    v = q;
  }
  return end;
}

/** Writes canonicalHeaderJson(h) as latin1 at `o` (only after headerJsonLength(h) ≥ 0); returns the end offset. */
export function putHeaderJson(out: Uint8Array, o: number, h: RatchetHeader): number {
  o = putLatin1(out, o, '{"dh":"');
  o = putLatin1(out, o, h.dh);
  o = putLatin1(out, o, '","n":');
  o = putDecimal(out, o, h.n);
  o = putLatin1(out, o, ',"pn":');
  o = putDecimal(out, o, h.pn);
  out[o] = 0x7d; // }
  return o + 1;
}

export function canonicalHeaderBytes(h: RatchetHeader): Buffer {
  return Buffer.from(canonicalHeaderJson(checkHeader(h)), 'latin1');
}

// Base64url without padding, done in place for short fields: a table lookup per character beats a native
// call plus an intermediate string for the ≤ a few hundred characters of a typical message. Longer fields go
// through node's codec (and the decode side through b64uDecode's decode-then-re-encode canonical check).
const B64U_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64U_ENCODE = Uint8Array.from(B64U_ALPHABET, (ch) => ch.charCodeAt(0));
/** Byte → 6-bit value, or -1 outside the base64url alphabet (so also for every byte ≥ 0x80). */
const B64U_DECODE = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64U_DECODE[B64U_ENCODE[i]] = i;
const SHORT_FIELD_BYTES = 768;
const SHORT_FIELD_CHARS = 1024;

const b64uLength = (bytes: number) => ((bytes / 3) | 0) * 4 + [0, 2, 3][bytes % 3];

/** Writes the base64url encoding of `src` at `o`; returns the offset after it. */
function putB64u(out: Buffer, o: number, src: Uint8Array): number {
  const n = src.length;
  if (n > SHORT_FIELD_BYTES) {
    return o + out.write(Buffer.from(src.buffer, src.byteOffset, n).toString('base64url'), o, 'latin1');
  }
  let i = 0;
  for (const whole = n - (n % 3); i < whole; i += 3) {
    const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
    out[o++] = B64U_ENCODE[v >>> 18];
    out[o++] = B64U_ENCODE[(v >>> 12) & 63];
    out[o++] = B64U_ENCODE[(v >>> 6) & 63];
    out[o++] = B64U_ENCODE[v & 63];
  }
  if (n - i === 1) {
    out[o++] = B64U_ENCODE[src[i] >>> 2];
    out[o++] = B64U_ENCODE[(src[i] & 3) << 4];
  } else if (n - i === 2) {
    const v = (src[i] << 8) | src[i + 1];
    out[o++] = B64U_ENCODE[v >>> 10];
    out[o++] = B64U_ENCODE[(v >>> 4) & 63];
    out[o++] = B64U_ENCODE[(v & 15) << 2];
  }
  return o;
}


const WIRE_PREFIX = '{"ciphertext":"';
const WIRE_HEADER = '","header":{"dh":"';
const WIRE_N = '","n":';
const WIRE_PN = ',"pn":';
const WIRE_NONCE = '},"nonce":"';
const WIRE_END = '"}';
const WIRE_HEADER_KEY = '","header":';
const WIRE_NONCE_KEY = ',"nonce":"';

/** v1.1.0 wire message: canonical JSON bytes of {ciphertext, header, nonce}. */
export function encodeWireMessage(m: RatchetMessage): Buffer {
  // The canonical template `{"ciphertext":"…","header":{"dh":"…","n":…,"pn":…},"nonce":"…"}`, written in place.
  const h = m.header;
  let headerLength = headerJsonLength(h);
  const header = headerLength < 0 ? canonicalHeaderJson(h) : undefined; // unchecked input: the template as is
  if (header !== undefined) headerLength = header.length;
  const ctChars = b64uLength(m.ciphertext.length);
  const out = Buffer.allocUnsafe(WIRE_PREFIX.length + ctChars + WIRE_HEADER_KEY.length + headerLength + WIRE_NONCE_KEY.length + b64uLength(m.nonce.length) + WIRE_END.length);
  let o = putLatin1(out, 0, WIRE_PREFIX);
  o = putB64u(out, o, m.ciphertext);
  o = putLatin1(out, o, WIRE_HEADER_KEY);
  o = header === undefined ? putHeaderJson(out, o, h) : putLatin1(out, o, header);
  o = putLatin1(out, o, WIRE_NONCE_KEY);
  o = putB64u(out, o, m.nonce);
  out[o] = 0x22; // "
  out[o + 1] = 0x7d; // }
  return out;
}

function checkBody(nonce: Buffer, ciphertext: Buffer): void {
  if (nonce.length !== RATCHET_NONCE_BYTES) frameInvalid('nonce must be 12 bytes');
  if (ciphertext.length < RATCHET_TAG_BYTES) frameInvalid('ciphertext shorter than the tag');
}

const NOT_CANONICAL = 'wire message is not canonical JSON {ciphertext, header, nonce}';
const BAD_B64U = 'wire message fields are not canonical base64url';
const WIRE_PREFIX_BYTES = Buffer.from(WIRE_PREFIX, 'latin1');
const WIRE_HEADER_BYTES = Buffer.from(WIRE_HEADER, 'latin1');
const WIRE_N_BYTES = Buffer.from(WIRE_N, 'latin1');
const WIRE_PN_BYTES = Buffer.from(WIRE_PN, 'latin1');
const WIRE_NONCE_BYTES = Buffer.from(WIRE_NONCE, 'latin1');
const WIRE_END_BYTES = Buffer.from(WIRE_END, 'latin1');

function latin1(b: Uint8Array, start: number, end: number): string {
  return (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)).toString('latin1', start, end);
}

/** Requires `literal` at `o`; returns the offset after it. */
function expectLiteral(b: Uint8Array, o: number, literal: Uint8Array): number {
  if (o + literal.length > b.length) frameInvalid(NOT_CANONICAL);
  for (let i = 0; i < literal.length; i++) if (b[o + i] !== literal[i]) frameInvalid(NOT_CANONICAL);
  return o + literal.length;
}

/** End of the run of base64url alphabet bytes starting at `o`. */
function scanB64u(b: Uint8Array, o: number): number {
  while (o < b.length && B64U_DECODE[b[o]] >= 0) o++;
  return o;
}

/** Canonical unpadded base64url of [start, end) (alphabet already checked): length ≢ 1 mod 4, zero pad bits. */
function decodeB64uRun(b: Uint8Array, start: number, end: number): Buffer {
  const chars = end - start;
  const rem = chars & 3;
  if (rem === 1) frameInvalid(BAD_B64U);
  const out = Buffer.allocUnsafe((chars >>> 2) * 3 + (rem === 0 ? 0 : rem - 1));
  let i = start;
  let o = 0;
  for (const whole = end - rem; i < whole; i += 4) {
    const v = (B64U_DECODE[b[i]] << 18) | (B64U_DECODE[b[i + 1]] << 12) | (B64U_DECODE[b[i + 2]] << 6) | B64U_DECODE[b[i + 3]];
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (rem === 2) {
    const c1 = B64U_DECODE[b[i + 1]];
    if ((c1 & 0x0f) !== 0) frameInvalid(BAD_B64U);
    out[o] = (B64U_DECODE[b[i]] << 2) | (c1 >>> 4);
  } else if (rem === 3) {
    const c2 = B64U_DECODE[b[i + 2]];
    if ((c2 & 0x03) !== 0) frameInvalid(BAD_B64U);
    const v = (B64U_DECODE[b[i]] << 10) | (B64U_DECODE[b[i + 1]] << 4) | (c2 >>> 2);
    out[o] = v >>> 8;
    out[o + 1] = v & 0xff;
  }
  return out;
}

/** Where the last readCounter stopped (saves allocating a [value, end] pair per counter). */
let counterEnd = 0;

/** A counter as the canonical template writes it: 0 | [1-9][0-9]{0,9}, at most MAX_COUNTER; sets counterEnd. */
function readCounter(b: Uint8Array, o: number): number {
  const first = b[o] - 0x30;
  if (!(first >= 0 && first <= 9)) frameInvalid(NOT_CANONICAL);
  let value = first;
  let i = o + 1;
  if (first !== 0) {
    for (let d = b[i] - 0x30; i < o + 10 && d >= 0 && d <= 9; d = b[i] - 0x30) {
      value = value * 10 + d;
      i++;
    }
  }
  if (value > MAX_COUNTER) frameInvalid('header counters must be unsigned 32-bit integers');
  counterEnd = i;
  return value;
}

/**
 * Decode a v1.1.0 wire message; only the canonical encoding is accepted. The canonical JSON of
 * {ciphertext, header, nonce} with base64url strings and decimal counters is fully determined, so matching it
 * byte by byte *is* "parse, then require the canonical form" (no duplicate keys, no reordering, no whitespace,
 * no escapes, no leading zeros) without a JSON parse of a 1 MiB string.
 */
export function decodeWireMessage(wire: Uint8Array | string): RatchetMessage {
  // A string is read as UTF-8: every accepted character is ASCII, anything else becomes bytes ≥ 0x80 and fails.
  const b = typeof wire === 'string' ? Buffer.from(wire, 'utf8') : wire;
  let o = expectLiteral(b, 0, WIRE_PREFIX_BYTES);
  let ciphertext: Buffer;
  const ctStart = o;
  if (b.length - ctStart > SHORT_FIELD_CHARS) {
    o = b.indexOf(0x22, ctStart);
    if (o < 0) frameInvalid(NOT_CANONICAL);
    try {
      ciphertext = b64uDecode(latin1(b, ctStart, o));
    } catch {
      return frameInvalid(BAD_B64U);
    }
  } else {
    o = scanB64u(b, ctStart);
    ciphertext = decodeB64uRun(b, ctStart, o);
  }
  o = expectLiteral(b, o, WIRE_HEADER_BYTES);
  const dhEnd = scanB64u(b, o);
  if (dhEnd - o !== 43) frameInvalid('header needs exactly dh (32-byte key), pn, n');
  if ((B64U_DECODE[b[dhEnd - 1]] & 0x03) !== 0) frameInvalid(BAD_B64U);
  const dh = latin1(b, o, dhEnd);
  o = expectLiteral(b, dhEnd, WIRE_N_BYTES);
  const n = readCounter(b, o);
  o = expectLiteral(b, counterEnd, WIRE_PN_BYTES);
  const pn = readCounter(b, o);
  o = expectLiteral(b, counterEnd, WIRE_NONCE_BYTES);
  const nonceEnd = scanB64u(b, o);
  const nonce = decodeB64uRun(b, o, nonceEnd);
  if (expectLiteral(b, nonceEnd, WIRE_END_BYTES) !== b.length) frameInvalid(NOT_CANONICAL);
  checkBody(nonce, ciphertext);
  return { header: { dh, n, pn }, nonce, ciphertext };
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
