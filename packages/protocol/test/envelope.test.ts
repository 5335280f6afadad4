import { randomBytes } from 'node:crypto';
import { b64uEncode, decodeKek, decryptEnvelope, encryptEnvelope, secretAad, type SecretEnvelope } from '@talos/protocol';
import { b64u, loadVector, codeOf } from './vectors';

describe('secret envelope v1 (secrets/envelope_v1.json)', () => {
  const [v] = loadVector('secrets/envelope_v1.json');
  const kek = b64u(v.kek_b64u);
  const keyring = new Map([[v.envelope.kek_id, kek]]);

  test('encrypt reproduces the vector byte for byte', () => {
    expect(secretAad('test-id-123').toString()).toBe(v.aad_utf8);
    const env = encryptEnvelope({ kekId: v.envelope.kek_id, kek, plaintext: v.plaintext_utf8, aad: secretAad('test-id-123'), nonce: b64u(v.nonce_b64u) });
    expect(env).toEqual(v.envelope);
    expect(JSON.stringify(env)).toBe(JSON.stringify(v.envelope));
    expect(env.ciphertext_b64u).toBe(v.ciphertext_b64u);
    expect(env.tag_b64u).toBe(v.tag_b64u);
  });

  test('decrypt with the expected AAD', () => {
    expect(decryptEnvelope(v.envelope, { keyring, aad: v.aad_utf8 }).toString()).toBe(v.plaintext_utf8);
  });

  test('the stored AAD is never trusted: another secret id fails, even with the stored aad removed', () => {
    expect(codeOf(() => decryptEnvelope(v.envelope, { keyring, aad: secretAad('other-id') }))).toBe('DECRYPT_FAILED');
    const { aad_b64u: _dropped, ...withoutAad } = v.envelope as SecretEnvelope;
    expect(codeOf(() => decryptEnvelope(withoutAad, { keyring, aad: secretAad('other-id') }))).toBe('DECRYPT_FAILED');
    expect(decryptEnvelope(withoutAad, { keyring, aad: v.aad_utf8 }).toString()).toBe(v.plaintext_utf8);
    // Swapping the stored AAD to match a forged expectation does not help either: the tag binds the real one.
    const relabelled = { ...v.envelope, aad_b64u: b64uEncode(secretAad('other-id')) };
    expect(codeOf(() => decryptEnvelope(relabelled, { keyring, aad: secretAad('other-id') }))).toBe('DECRYPT_FAILED');
  });

  test('unknown KEK, malformed envelopes and tampering map to their codes without details', () => {
    expect(codeOf(() => decryptEnvelope({ ...v.envelope, kek_id: 'v2' }, { keyring, aad: v.aad_utf8 }))).toBe('KEK_NOT_LOADED');
    for (const bad of [
      null,
      'x',
      { ...v.envelope, kek_id: 'UPPER' },
      { ...v.envelope, nonce_b64u: 'MTEx==' },
      { ...v.envelope, nonce_b64u: b64uEncode(Buffer.alloc(8)) },
      { ...v.envelope, tag_b64u: b64uEncode(Buffer.alloc(15)) },
      { ...v.envelope, extra: 1 },
      { ...v.envelope, ciphertext_b64u: 42 },
    ]) {
      expect(codeOf(() => decryptEnvelope(bad, { keyring, aad: v.aad_utf8 }))).toBe('ENVELOPE_INVALID');
    }
    const flipped = b64u(v.ciphertext_b64u);
    flipped[0] ^= 1;
    let err: Error | undefined;
    try {
      decryptEnvelope({ ...v.envelope, ciphertext_b64u: b64uEncode(flipped) }, { keyring, aad: v.aad_utf8 });
    } catch (e) {
      err = e as Error;
    }
    expect((err as { code?: string }).code).toBe('DECRYPT_FAILED');
    expect(err?.message).toBe('decryption failed');
  });

  test('KEK ids and key sizes are validated', () => {
    for (const id of ['v1', 'kek_2026-01', 'a'.repeat(32)]) expect(() => encryptEnvelope({ kekId: id, kek, plaintext: 'x', aad: 'a' })).not.toThrow();
    for (const id of ['', '-v1', 'V1', 'a'.repeat(33), 'v1.2']) {
      expect(codeOf(() => encryptEnvelope({ kekId: id, kek, plaintext: 'x', aad: 'a' }))).toBe('VALIDATION_ERROR');
    }
    expect(codeOf(() => encryptEnvelope({ kekId: 'v1', kek: randomBytes(16), plaintext: 'x', aad: 'a' }))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => encryptEnvelope({ kekId: 'v1', kek, plaintext: 'x', aad: '' }))).toBe('VALIDATION_ERROR');
    expect(decodeKek(v.kek_b64u).equals(kek)).toBe(true);
    expect(codeOf(() => decodeKek(b64uEncode(randomBytes(31))))).toBe('CONFIG_ERROR');
    expect(codeOf(() => decodeKek(v.kek_b64u + '='))).toBe('CONFIG_ERROR');
  });

  test('random nonces differ between encryptions', () => {
    const a = encryptEnvelope({ kekId: 'v1', kek, plaintext: 'same', aad: 'a' });
    const b = encryptEnvelope({ kekId: 'v1', kek, plaintext: 'same', aad: 'a' });
    expect(a.nonce_b64u).not.toBe(b.nonce_b64u);
    expect(a.ciphertext_b64u).not.toBe(b.ciphertext_b64u);
  });
});
