// Canonical JSON: real RFC 8785 (JCS), not the reference's "sorted keys" subset (talos-domain.md §0.2, §10.50).
// - keys sorted by UTF-16 code units (what Array.prototype.sort does on strings),
// - numbers in ECMAScript Number::toString form (RFC 8785 §3.2.2.3), -0 → "0",
// - strings escaped exactly as JSON.stringify escapes them (RFC 8785 §3.2.2.2), non-ASCII kept literal,
// - lone surrogates, NaN/±Infinity, undefined, BigInt, functions, symbols and non-plain objects are rejected.
// A second mode, used for every protocol digest, applies the hashing policy (see README): no `null` values
// (optional fields are omitted instead) and numbers must be safe integers (no floats).
import { ProtocolError } from './errors';

/** Nesting limit for both the serialiser and the strict parser; also stops cycles. */
export const MAX_JSON_DEPTH = 256;

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

const objectProto = Object.prototype;

// String.prototype.isWellFormed is ES2024 (Node ≥20); the repo's lib setting is ES2023.
type WellFormed = string & { isWellFormed(): boolean };

// Printable ASCII without '"' and '\\': such strings need no escaping and cannot hold a surrogate, so they
// are quoted directly (the common case for keys, ids and digests; ~3x faster than JSON.stringify).
const PLAIN_STRING_RE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function quote(s: string): string {
  if (PLAIN_STRING_RE.test(s)) return '"' + s + '"';
  if (!(s as WellFormed).isWellFormed()) throw new ProtocolError('CANONICAL_JSON_INVALID', 'string contains a lone surrogate');
  return JSON.stringify(s);
}

/** Keys in UTF-16 code-unit order (what `<` and the default sort compare); insertion sort for small objects. */
function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  const n = keys.length;
  if (n > 16) return keys.sort();
  for (let i = 1; i < n; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

function serialise(value: unknown, depth: number, hashPolicy: boolean): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new ProtocolError('CANONICAL_JSON_INVALID', 'NaN and Infinity are not JSON');
      if (hashPolicy && !Number.isSafeInteger(value)) {
        throw new ProtocolError('HASH_POLICY_VIOLATION', 'hashed structures allow only safe integers');
      }
      return '' + value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) {
        if (hashPolicy) throw new ProtocolError('HASH_POLICY_VIOLATION', 'hashed structures omit optional fields instead of null');
        return 'null';
      }
      if (depth >= MAX_JSON_DEPTH) throw new ProtocolError('CANONICAL_JSON_INVALID', 'nesting too deep (or cyclic)');
      if (Array.isArray(value)) {
        const n = value.length;
        if (n === 0) return '[]';
        let out = '[' + serialise(value[0], depth + 1, hashPolicy);
        for (let i = 1; i < n; i++) out += ',' + serialise(value[i], depth + 1, hashPolicy);
        return out + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== objectProto && proto !== null) {
        throw new ProtocolError('CANONICAL_JSON_INVALID', 'only plain objects can be canonicalised');
      }
      const obj = value as Record<string, unknown>;
      const keys = sortedKeys(obj);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const member = obj[key];
        if (member === undefined) throw new ProtocolError('CANONICAL_JSON_INVALID', 'undefined is not JSON');
        out += (i === 0 ? '' : ',') + quote(key) + ':' + serialise(member, depth + 1, hashPolicy);
      }
      return out + '}';
    }
    default:
      throw new ProtocolError('CANONICAL_JSON_INVALID', `${typeof value} is not JSON`);
  }
}

/** RFC 8785 canonical form of a JSON value. */
export function canonicalize(value: unknown): string {
  return serialise(value, 0, false);
}

/** UTF-8 bytes of the RFC 8785 canonical form. */
export function canonicalJsonBytes(value: unknown): Buffer {
  return Buffer.from(serialise(value, 0, false), 'utf8');
}

/** Canonical form under the hashing policy (no nulls, integers only): the preimage of every protocol digest. */
export function canonicalizeForHash(value: unknown): string {
  return serialise(value, 0, true);
}
