// The hot-path wire codec and KDF_CK work on bytes in place (no regex, no JSON.parse, reused scratch buffers).
// These tests pin them to straightforward reference implementations: the wire template built with strings and
// decoded with a regex (the canonical shape), and KDF_CK as two node:crypto HKDF calls.
import { hkdfSync, randomBytes } from 'node:crypto';
import {
  createPrekeyBundleV1,
  decodeWireMessage,
  ed25519KeyPairFromSeed,
  encodeWireMessage,
  generateX25519KeyPair,
  initiateSessionV1,
  kdfCk,
  ratchetDecrypt,
  ratchetEncrypt,
  respondSessionV1,
  type RatchetMessage,
} from '@talos/protocol';
import { codeOf } from './vectors';

function referenceEncode(m: RatchetMessage): Buffer {
  const h = m.header;
  const text = `{"ciphertext":"${m.ciphertext.toString('base64url')}","header":{"dh":"${h.dh}","n":${h.n},"pn":${h.pn}},"nonce":"${m.nonce.toString('base64url')}"}`;
  return Buffer.from(text, 'latin1');
}

const REFERENCE_RE = /^\{"ciphertext":"([A-Za-z0-9_-]*)","header":\{"dh":"([A-Za-z0-9_-]{43})","n":(0|[1-9][0-9]{0,9}),"pn":(0|[1-9][0-9]{0,9})\},"nonce":"([A-Za-z0-9_-]*)"\}$/;
/** Canonical-shape decoder: regex, canonical base64url (round trip), counters ≤ 2^32-1, 12-byte nonce, ≥ tag. */
function referenceDecode(wire: Buffer): string {
  const t = REFERENCE_RE.exec(wire.toString('latin1'));
  if (t === null) return 'reject';
  const canonical = (s: string) => Buffer.from(s, 'base64url').toString('base64url') === s;
  if (![t[1], t[2], t[5]].every(canonical)) return 'reject';
  const n = Number(t[3]);
  const pn = Number(t[4]);
  if (n > 0xffffffff || pn > 0xffffffff) return 'reject';
  const nonce = Buffer.from(t[5], 'base64url');
  const ciphertext = Buffer.from(t[1], 'base64url');
  if (nonce.length !== 12 || ciphertext.length < 16) return 'reject';
  return JSON.stringify({ dh: t[2], n, pn, nonce: nonce.toString('hex'), ciphertext: ciphertext.toString('hex') });
}

function decodeOrReject(wire: Buffer): string {
  try {
    const m = decodeWireMessage(wire);
    return JSON.stringify({ ...m.header, nonce: m.nonce.toString('hex'), ciphertext: m.ciphertext.toString('hex') });
  } catch (err) {
    return (err as { code?: string }).code === 'TALOS_FRAME_INVALID' ? 'reject' : `unexpected ${String(err)}`;
  }
}

// Deterministic PRNG so a failure reproduces.
let seed = 0x9e3779b9;
const rnd = (k: number) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % k;
};
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => rnd(256)));
const SIZES = [0, 1, 2, 3, 15, 16, 17, 18, 35, 51, 767, 768, 769, 1030, 2000];
const COUNTERS = [0, 1, 9, 10, 99, 100, 65535, 1e9, 4294967295];
const SPECIAL = Buffer.from('"{}:,0123456789-_=+/ \\Aa\x80\xff', 'latin1');

function randomMessage(): RatchetMessage {
  return {
    header: { dh: bytes(32).toString('base64url'), n: COUNTERS[rnd(COUNTERS.length)], pn: COUNTERS[rnd(COUNTERS.length)] },
    nonce: bytes([12, 12, 12, 11, 13, 0][rnd(6)]),
    ciphertext: bytes(SIZES[rnd(SIZES.length)]),
  };
}

function mutate(wire: Buffer): Buffer {
  let w = Buffer.from(wire);
  for (let k = rnd(3); k > 0; k--) {
    const p = rnd(w.length + 1);
    const ch = rnd(2) ? SPECIAL[rnd(SPECIAL.length)] : rnd(256);
    switch (rnd(4)) {
      case 0:
        if (p < w.length) w[p] = ch;
        break;
      case 1:
        w = Buffer.concat([w.subarray(0, p), Buffer.from([ch]), w.subarray(p)]);
        break;
      case 2:
        w = Buffer.concat([w.subarray(0, p), w.subarray(p + 1)]);
        break;
      default: {
        const bad = ['4294967296', '01', '00', '12345678901', '-1', '1.0', '1e3', ' 1', '9999999999'][rnd(9)];
        w = Buffer.from(w.toString('latin1').replace(/"(p?n)":\d+/, `"$1":${bad}`), 'latin1');
      }
    }
  }
  return w;
}

describe('wire v1.1.0 fast codec against the reference implementation', () => {
  test('encoding is byte-identical, including unchecked headers', () => {
    for (let i = 0; i < 2000; i++) {
      const m = randomMessage();
      expect(encodeWireMessage(m).equals(referenceEncode(m))).toBe(true);
    }
    const odd = { dh: 'x', n: -1, pn: 1.5 } as unknown as RatchetMessage['header'];
    const m = { header: odd, nonce: Buffer.alloc(12), ciphertext: Buffer.alloc(20) };
    expect(encodeWireMessage(m).equals(referenceEncode(m))).toBe(true);
  });

  test('decoding accepts and rejects exactly what the reference does (mutated wires)', () => {
    let accepted = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 10000; i++) {
      const wire = mutate(encodeWireMessage(randomMessage()));
      const expected = referenceDecode(wire);
      if (decodeOrReject(wire) !== expected) mismatches.push(wire.toString('latin1'));
      if (expected !== 'reject') accepted++;
    }
    expect(mismatches).toEqual([]);
    expect(accepted).toBeGreaterThan(500);
  });

  test('string input: non-latin1 characters never alias ASCII', () => {
    const m = { header: { dh: 'A'.repeat(43), n: 1, pn: 0 }, nonce: Buffer.alloc(12, 1), ciphertext: Buffer.alloc(20, 2) };
    const wire = encodeWireMessage(m).toString('latin1');
    expect(decodeWireMessage(wire).header).toEqual(m.header);
    for (const bad of [wire.replace('"n"', '\u0122n"'), wire.replace('AAAA"', 'AAA\u0141"'), wire + '\u0000', wire.replace('{', '\ud800')]) {
      expect(codeOf(() => decodeWireMessage(bad))).toBe('TALOS_FRAME_INVALID');
    }
  });

  test('non-canonical base64url padding bits are rejected in every field', () => {
    const m = { header: { dh: bytes(32).toString('base64url'), n: 3, pn: 2 }, nonce: bytes(12), ciphertext: bytes(17) };
    const wire = encodeWireMessage(m).toString('latin1');
    const ct = m.ciphertext.toString('base64url'); // 23 chars: last one carries 2 pad bits
    const bump = (s: string) => s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) + 1);
    expect(codeOf(() => decodeWireMessage(wire.replace(ct, bump(ct))))).toBe('TALOS_FRAME_INVALID');
    expect(codeOf(() => decodeWireMessage(wire.replace(m.header.dh, bump(m.header.dh))))).toBe('TALOS_FRAME_INVALID');
    const long = { ...m, ciphertext: bytes(1201) }; // > 1024 chars: the native decode + re-encode path
    const longWire = encodeWireMessage(long).toString('latin1');
    const longCt = long.ciphertext.toString('base64url');
    expect(decodeWireMessage(longWire).ciphertext.equals(long.ciphertext)).toBe(true);
    expect(codeOf(() => decodeWireMessage(longWire.replace(longCt, bump(longCt))))).toBe('TALOS_FRAME_INVALID');
    expect(codeOf(() => decodeWireMessage(longWire.replace(longCt, longCt.slice(0, 600) + '=' + longCt.slice(601))))).toBe('TALOS_FRAME_INVALID');
  });
});

describe('KDF_CK fast path', () => {
  test('matches two node:crypto HKDF calls over random chain keys, and rejects other key sizes', () => {
    const salt = Buffer.alloc(32);
    for (let i = 0; i < 200; i++) {
      const ck = randomBytes(32);
      const out = kdfCk(ck);
      expect(out.mk.equals(Buffer.from(hkdfSync('sha256', ck, salt, 'talos-double-ratchet-message', 32)))).toBe(true);
      expect(out.ck.equals(Buffer.from(hkdfSync('sha256', ck, salt, 'talos-double-ratchet-chain', 32)))).toBe(true);
    }
    expect(() => kdfCk(randomBytes(31))).toThrow(RangeError);
    expect(() => kdfCk(randomBytes(33))).toThrow(RangeError);
  });

  test('long in-order and out-of-order exchanges round-trip (scratch buffers never leak across messages)', () => {
    const spk = generateX25519KeyPair();
    const alice = initiateSessionV1(createPrekeyBundleV1(ed25519KeyPairFromSeed(randomBytes(32)), spk));
    const first = ratchetEncrypt(alice, Buffer.from('hello'));
    const bob = respondSessionV1(spk, first.header.dh);
    expect(ratchetDecrypt(bob, first).toString()).toBe('hello');
    const burst = Array.from({ length: 300 }, (_, i) => encodeWireMessage(ratchetEncrypt(alice, Buffer.from(`m${i}`))));
    const order = burst.map((_, i) => i).sort((a, b) => ((a * 7919) % 300) - ((b * 7919) % 300));
    for (const i of order) expect(ratchetDecrypt(bob, decodeWireMessage(burst[i])).toString()).toBe(`m${i}`);
    // Interleave both directions so the shared AAD / message-key scratch alternates between sessions.
    for (let i = 0; i < 50; i++) {
      const a = ratchetEncrypt(alice, Buffer.from(`a${i}`));
      const b = ratchetEncrypt(bob, Buffer.from(`b${i}`));
      expect(ratchetDecrypt(bob, decodeWireMessage(encodeWireMessage(a))).toString()).toBe(`a${i}`);
      expect(ratchetDecrypt(alice, decodeWireMessage(encodeWireMessage(b))).toString()).toBe(`b${i}`);
    }
    const tampered = ratchetEncrypt(alice, Buffer.from('x'));
    tampered.ciphertext[0] ^= 1;
    expect(codeOf(() => ratchetDecrypt(bob, tampered))).toBe('TALOS_CRYPTO_ERROR');
    expect(ratchetDecrypt(bob, ratchetEncrypt(alice, Buffer.from('after'))).toString()).toBe('after');
  });
});
