// UUIDv7 (RFC 9562 §5.7), lowercase canonical form only (talos-domain.md §0.1; vector uuidv7.json).
import { randomFillSync } from 'node:crypto';
import { ProtocolError } from './errors';

export const UUIDV7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuidv7(s: unknown): s is string {
  return typeof s === 'string' && UUIDV7_RE.test(s);
}

export interface Uuidv7Options {
  /** Unix time in milliseconds (default Date.now()). */
  nowMs?: number;
  /** 10 random bytes (default from the CSPRNG); injectable for deterministic tests. */
  random?: Uint8Array;
}

/** 48-bit ms timestamp | ver 7 | 12 random bits | variant 10 | 62 random bits. */
export function uuidv7(opts: Uuidv7Options = {}): string {
  const ms = opts.nowMs ?? Date.now();
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 0xffffffffffff) {
    throw new ProtocolError('TALOS_INVALID_INPUT', 'uuidv7 timestamp out of range');
  }
  const rnd = opts.random ?? randomFillSync(new Uint8Array(10));
  if (rnd.length !== 10) throw new ProtocolError('TALOS_INVALID_INPUT', 'uuidv7 needs 10 random bytes');
  const b = Buffer.alloc(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (rnd[0] & 0x0f);
  b[7] = rnd[1];
  b[8] = 0x80 | (rnd[2] & 0x3f);
  b.set(rnd.subarray(3, 10), 9);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Milliseconds since the epoch encoded in a UUIDv7. */
export function uuidv7Timestamp(id: string): number {
  if (!isUuidv7(id)) throw new ProtocolError('UUID_INVALID', 'not a lowercase UUIDv7');
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
