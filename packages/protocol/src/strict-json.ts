// Strict parser for inbound JSON that will be hashed or signed (talos-domain.md §0.2): RFC 8259 grammar only,
// duplicate keys rejected (JSON.parse silently keeps the last one, so two parties could hash different
// documents), lone surrogates rejected (they cannot be canonicalised), integer literals a double cannot hold exactly
// rejected (they would not survive a parse/canonicalise round trip), invalid UTF-8 and a BOM rejected for byte input.
import { MAX_JSON_DEPTH, type JsonValue } from './canonical-json';
import { ProtocolError } from './errors';

type WellFormed = string & { isWellFormed(): boolean };

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function fail(message: string, at: number): never {
  throw new ProtocolError('JSON_PARSE_ERROR', `${message} at offset ${at}`);
}

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  skipWs(): void {
    const s = this.src;
    let c = s.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++this.pos);
  }

  value(depth: number): JsonValue {
    this.skipWs();
    const c = this.src.charCodeAt(this.pos);
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.src.startsWith('true', this.pos)) return (this.pos += 4), true;
    if (this.src.startsWith('false', this.pos)) return (this.pos += 5), false;
    if (this.src.startsWith('null', this.pos)) return (this.pos += 4), null;
    return fail('unexpected token', this.pos);
  }

  object(depth: number): JsonValue {
    if (depth >= MAX_JSON_DEPTH) fail('nesting too deep', this.pos);
    this.pos++;
    const out: Record<string, JsonValue> = {};
    this.skipWs();
    if (this.src.charCodeAt(this.pos) === 0x7d) return this.pos++, out;
    for (;;) {
      this.skipWs();
      if (this.src.charCodeAt(this.pos) !== 0x22) fail('expected a string key', this.pos);
      const keyAt = this.pos;
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        throw new ProtocolError('JSON_DUPLICATE_KEY', `duplicate key ${JSON.stringify(key)} at offset ${keyAt}`);
      }
      this.skipWs();
      if (this.src.charCodeAt(this.pos) !== 0x3a) fail('expected ":"', this.pos);
      this.pos++;
      const member = this.value(depth + 1);
      // defineProperty so that a "__proto__" key becomes data, never the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: member, enumerable: true, writable: true, configurable: true });
      else out[key] = member;
      this.skipWs();
      const c = this.src.charCodeAt(this.pos++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) fail('expected "," or "}"', this.pos - 1);
    }
  }

  array(depth: number): JsonValue {
    if (depth >= MAX_JSON_DEPTH) fail('nesting too deep', this.pos);
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWs();
    if (this.src.charCodeAt(this.pos) === 0x5d) return this.pos++, out;
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipWs();
      const c = this.src.charCodeAt(this.pos++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) fail('expected "," or "]"', this.pos - 1);
    }
  }

  string(): string {
    const s = this.src;
    const start = this.pos;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (Number.isNaN(c)) fail('unterminated string', start);
      if (c < 0x20) fail('control character in string', i);
      if (c === 0x5c) {
        escaped = true;
        i++;
      }
      i++;
    }
    this.pos = i + 1;
    // JSON.parse validates the escape sequences; the raw slice has no unescaped quote or control character.
    let out: string;
    if (escaped) {
      try {
        out = JSON.parse(s.slice(start, i + 1)) as string;
      } catch {
        return fail('invalid escape sequence', start);
      }
    } else {
      out = s.slice(start + 1, i);
    }
    if (!(out as WellFormed).isWellFormed()) fail('lone surrogate in string', start);
    return out;
  }

  number(): number {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.src);
    if (!m) return fail('invalid number', this.pos);
    this.pos += m[0].length;
    const n = Number(m[0]);
    if (!Number.isFinite(n)) fail('number out of range', this.pos);
    // An integer literal that a double cannot hold exactly would hash differently after a round trip.
    if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(n) && String(n) !== m[0]) {
      fail('integer not exactly representable', this.pos);
    }
    return n;
  }
}

/** Parse JSON text (or UTF-8 bytes) strictly; throws JSON_PARSE_ERROR or JSON_DUPLICATE_KEY. */
export function parseStrictJson(input: string | Uint8Array): JsonValue {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = utf8.decode(input);
    } catch {
      throw new ProtocolError('JSON_PARSE_ERROR', 'input is not valid UTF-8');
    }
  }
  const p = new Parser(text);
  const value = p.value(0);
  p.skipWs();
  if (p.pos !== text.length) fail('trailing characters', p.pos);
  return value;
}
