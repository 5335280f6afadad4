import {
  auditClientIpFields,
  auditEventCanonicalBytes,
  auditEventHash,
  b64uDecode,
  b64uEncode,
  compareEventPositions,
  decodeEventCursor,
  encodeEventCursor,
  isB64u,
  isTimestampMs,
  isUuidv7,
  redactAuditMeta,
  sha256Hex,
  uuidv7,
  uuidv7Timestamp,
} from '@talos/protocol';
import { hex, loadVector, codeOf } from './vectors';

describe('base64url (base64url.json)', () => {
  const v = loadVector('base64url.json');

  test('valid vectors encode and decode both ways', () => {
    for (const { bytes_hex, encoded } of v.valid) {
      expect(b64uEncode(hex(bytes_hex))).toBe(encoded);
      expect(b64uDecode(encoded).toString('hex')).toBe(bytes_hex);
    }
  });

  test('invalid vectors are rejected with BASE64URL_INVALID', () => {
    for (const bad of v.invalid) {
      expect(isB64u(bad)).toBe(false);
      expect(codeOf(() => b64uDecode(bad))).toBe('BASE64URL_INVALID');
    }
  });

  test('non-canonical trailing bits are rejected (one encoding per byte string)', () => {
    expect(b64uDecode('Zg').toString()).toBe('f');
    expect(codeOf(() => b64uDecode('Zh'))).toBe('BASE64URL_INVALID');
    expect(codeOf(() => b64uDecode('Zm9'))).toBe('BASE64URL_INVALID');
    expect(b64uDecode('Zm8').toString()).toBe('fo');
  });

  test('long inputs (decode + re-encode path) are held to the same rules', () => {
    const bytes = Buffer.from(Array.from({ length: 301 }, (_, i) => i & 0xff));
    const good = b64uEncode(bytes);
    expect(good.length).toBeGreaterThan(128);
    expect(good.includes('_') && good.includes('-')).toBe(true);
    expect(b64uDecode(good).equals(bytes)).toBe(true);
    const lastBitsSet = good.slice(0, -1) + 'h'; // 301 bytes → 402 chars, last char carries 4 unused bits
    for (const bad of [good + '=', good.replace('_', '/'), good.replace('-', '+'), good.slice(0, 200) + ' ' + good.slice(200), good.slice(0, -1), lastBitsSet]) {
      expect(isB64u(bad)).toBe(false);
      expect(codeOf(() => b64uDecode(bad))).toBe('BASE64URL_INVALID');
    }
  });
});

describe('UUIDv7 (uuidv7.json)', () => {
  const v = loadVector('uuidv7.json');

  test('valid and invalid lists', () => {
    for (const id of v.valid) expect(isUuidv7(id)).toBe(true);
    for (const id of v.invalid) expect(isUuidv7(id)).toBe(false);
    expect(isUuidv7(v.valid[0].toUpperCase())).toBe(false);
  });

  test('generation sets version, variant and timestamp; injected inputs are deterministic', () => {
    const id = uuidv7({ nowMs: 0x0190a5e07c3a, random: Buffer.alloc(10, 0xff) });
    expect(id).toBe('0190a5e0-7c3a-7fff-bfff-ffffffffffff');
    expect(uuidv7Timestamp(id)).toBe(0x0190a5e07c3a);
    const fresh = uuidv7();
    expect(isUuidv7(fresh)).toBe(true);
    expect(Math.abs(uuidv7Timestamp(fresh) - Date.now())).toBeLessThan(5000);
    expect(uuidv7()).not.toBe(fresh);
    expect(codeOf(() => uuidv7Timestamp('not-a-uuid'))).toBe('UUID_INVALID');
    expect(codeOf(() => uuidv7({ nowMs: -1 }))).toBe('TALOS_INVALID_INPUT');
  });
});

describe('event cursors and ordering', () => {
  test('cursor_derivation.json', () => {
    for (const c of loadVector('cursor_derivation.json')) {
      expect(encodeEventCursor({ timestamp: c.timestamp, event_id: c.event_id })).toBe(c.expected_cursor);
      expect(decodeEventCursor(c.expected_cursor)).toEqual({ timestamp: c.timestamp, event_id: c.event_id });
    }
  });

  test('ordering.json (timestamp DESC, event_id DESC)', () => {
    for (const c of loadVector('ordering.json')) {
      expect(compareEventPositions(c.a, c.b)).toBe(c.expected);
      expect(compareEventPositions(c.b, c.a)).toBe(c.expected === 0 ? 0 : -c.expected);
    }
  });

  test('invalid cursors are errors, never "from the start"', () => {
    const id = '0190a5e0-7c3a-7000-8000-000000000001';
    for (const text of [`01703721600:${id}`, `-1:${id}`, `1703721600:${id.toUpperCase()}`, '1703721600', `1.5:${id}`, `:${id}`]) {
      expect(codeOf(() => decodeEventCursor(b64uEncode(Buffer.from(text))))).toBe('CURSOR_INVALID');
    }
    expect(codeOf(() => decodeEventCursor('MTcw=='))).toBe('CURSOR_INVALID');
  });
});

describe('audit events (audit_event_vectors.json)', () => {
  const v = loadVector('audit_event_vectors.json');

  test('canonical bytes and event_hash for every vector', () => {
    for (const t of v.tests) {
      expect(auditEventCanonicalBytes(t.event_without_hash).toString('hex')).toBe(t.canonical_bytes_hex);
      expect(auditEventHash(t.event_without_hash)).toBe(t.event_hash);
      expect(sha256Hex(hex(t.canonical_bytes_hex))).toBe(t.event_hash);
      // A stored event_hash member is never part of its own preimage.
      expect(auditEventHash({ ...t.event_without_hash, event_hash: t.event_hash })).toBe(t.event_hash);
    }
  });

  test('client IP pseudonymisation fields (HMAC-SHA256 hex with key id)', () => {
    for (const t of v.tests) {
      const ctx = t.input_context;
      const key = { key: ctx.ip_hmac_key ?? 'unused', keyId: ctx.ip_hmac_key_id ?? 'unused' };
      const http = t.event_without_hash.http;
      const expected = http.client_ip_hash
        ? { client_ip_hash: http.client_ip_hash, client_ip_hash_alg: http.client_ip_hash_alg, client_ip_hash_key_id: http.client_ip_hash_key_id }
        : {};
      expect(auditClientIpFields(ctx.client_ip, key)).toEqual(expected);
    }
  });

  test('meta redaction: normative vector byte for byte', () => {
    const t = v.tests.find((x: { name: string }) => x.name === 'meta_filtering_normative');
    expect(redactAuditMeta(t.input_context.unfiltered_meta, ['model', 'tokens'])).toEqual(t.event_without_hash.meta);
  });

  test('meta redaction: failure_meta_filtered predates the redaction markers', () => {
    // That vector drops secret_key without recording it; the normative vector (above) records removals.
    // We follow the normative rule: same kept keys, plus the markers.
    const t = v.tests.find((x: { name: string }) => x.name === 'failure_meta_filtered');
    const out = redactAuditMeta(t.input_context.unfiltered_meta, ['error', 'tokens']);
    expect(out).toEqual({ ...t.event_without_hash.meta, meta_redaction_applied: true, meta_redacted_keys: 'secret_key' });
    expect(redactAuditMeta({ error: 'x' }, ['error'])).toEqual({ error: 'x' });
  });

  test('hashing policy applies: null or float members are refused, not silently hashed', () => {
    const base = v.tests[0].event_without_hash;
    expect(codeOf(() => auditEventHash({ ...base, meta: { cost: 0.5 } }))).toBe('HASH_POLICY_VIOLATION');
    expect(codeOf(() => auditEventHash({ ...base, request_id: null }))).toBe('HASH_POLICY_VIOLATION');
  });
});

test('contract timestamps: exactly three fractional digits and Z', () => {
  expect(isTimestampMs('2026-01-11T18:00:00.000Z')).toBe(true);
  for (const bad of ['2026-01-11T18:00:00Z', '2026-01-11T18:00:00.000+00:00', '2026-01-11T18:00:00.000+00:00Z', '2026-13-11T18:00:00.000Z', '2026-02-30T18:00:00.000Z']) {
    expect(isTimestampMs(bad)).toBe(false);
  }
});
