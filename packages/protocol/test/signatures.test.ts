import {
  b64uEncode,
  didKeyFromEd25519,
  ed25519KeyPairFromSeed,
  ed25519Sign,
  ed25519Verify,
  httpAttestationSigningInput,
  MemoryNonceStore,
  signHttpRequest,
  verifyCanonicalSignature,
  verifyHttpAttestation,
  type AttestedRequest,
} from '@talos/protocol';
import { b64u, hex, loadVector } from './vectors';

async function codeOfAsync(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('Ed25519 and did:key (sdk/signing_verify.json)', () => {
  const v = loadVector('sdk/signing_verify.json');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const byId: Record<string, any> = Object.fromEntries([...v.vectors, ...v.negative_cases].map((c: { test_id: string }) => [c.test_id, c]));

  test('seed → public key, deterministic signature, did:key', () => {
    const c = byId.sign_verify_basic;
    const kp = ed25519KeyPairFromSeed(hex(c.inputs.seed_hex));
    const msg = Buffer.from(c.inputs.message_utf8, 'utf8');
    expect(kp.publicKey.toString('hex')).toBe(c.expected.public_key_hex);
    expect(b64uEncode(ed25519Sign(kp.privateKey, msg))).toBe(c.expected.signature_base64url);
    expect(didKeyFromEd25519(kp.publicKey)).toBe(c.expected.did);
    expect(ed25519Verify(kp.publicKey, msg, b64u(c.expected.signature_base64url))).toBe(true);
  });

  test('empty message signs to 64 bytes and verifies', () => {
    const c = byId.sign_empty_message;
    const kp = ed25519KeyPairFromSeed(hex(c.inputs.seed_hex));
    const sig = ed25519Sign(hex(c.inputs.seed_hex), Buffer.alloc(0));
    expect(sig.length).toBe(c.expected.signature_length);
    expect(ed25519Verify(kp.publicKey, Buffer.alloc(0), sig)).toBe(c.expected.verify);
  });

  test('negative cases: short seed, wrong key, tampered message', () => {
    let err: { code?: string; message?: string } = {};
    try {
      ed25519KeyPairFromSeed(hex(byId.invalid_seed_length.inputs.seed_hex));
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.code).toBe(byId.invalid_seed_length.expected_error.code);
    expect(err.message).toContain(byId.invalid_seed_length.expected_error.message_contains);

    const wrong = byId.verify_wrong_key.inputs;
    expect(ed25519Verify(hex(wrong.wrong_public_key_hex), Buffer.from(wrong.message_utf8), b64u(wrong.signature_base64url))).toBe(false);

    const t = byId.verify_tampered_message.inputs;
    const kp = ed25519KeyPairFromSeed(hex(t.seed_hex));
    const sig = ed25519Sign(kp.privateKey, Buffer.from(t.original_message));
    expect(ed25519Verify(kp.publicKey, Buffer.from(t.tampered_message), sig)).toBe(false);
    expect(ed25519Verify(kp.publicKey, Buffer.from(t.original_message), sig.subarray(0, 63))).toBe(false);
  });
});

test('signatures over canonical payloads with key lookup by key_id (crypto/ed25519_signatures.json)', () => {
  const v = loadVector('crypto/ed25519_signatures.json');
  // The vector's public key and key ids are standard base64 (with padding), not base64url.
  const keys = new Map([[v.key_pair.public_key_b64, Buffer.from(v.key_pair.public_key_b64, 'base64')]]);
  for (const t of v.tests) {
    const ok = verifyCanonicalSignature(t.payload, Buffer.from(t.signature_b64, 'base64'), keys.get(t.key_id));
    expect(ok ? 'valid' : 'invalid').toBe(t.expected);
  }
});

describe('HTTP attestation v1 (crypto/http_attestation_v1.json)', () => {
  const v = loadVector('crypto/http_attestation_v1.json');
  const NOW = 1700000000;

  function request(input: Record<string, any>): AttestedRequest { // eslint-disable-line @typescript-eslint/no-explicit-any
    return {
      method: input.method,
      rawPathQuery: input.raw_path_query,
      body: input.raw_body_json,
      nonce: input.nonce,
      timestamp: input.timestamp,
      opcode: input.opcode,
    };
  }

  test('signing input bytes and signatures for every vector', () => {
    for (const c of v.vectors) {
      const req = request(c.input);
      expect(httpAttestationSigningInput(req).toString('hex')).toBe(c.expected.signing_input_hex);
      expect(signHttpRequest(req, hex(c.input.private_key))).toBe(c.expected.signature);
    }
  });

  test('verification outcome and error code for every vector', async () => {
    for (const c of v.vectors) {
      const kp = ed25519KeyPairFromSeed(hex(c.input.private_key));
      const served: AttestedRequest = {
        ...request(c.input),
        rawPathQuery: c.verify_context?.received_path_query ?? c.input.raw_path_query,
        opcode: c.verify_context?.server_derived_opcode ?? c.input.opcode,
      };
      const signature =
        c.tamper?.signature_format === 'base64_padded' ? Buffer.from(c.expected.signature, 'base64url').toString('base64') : c.expected.signature;
      const code = await codeOfAsync(() =>
        verifyHttpAttestation(served, { publicKey: kp.publicKey, keyId: 'k1', signature, nowSeconds: NOW, nonceStore: new MemoryNonceStore() }),
      );
      expect(code).toBe(c.expected.valid ? undefined : c.expected.error);
    }
  });

  test('replay window: a nonce is accepted once, stale or future timestamps are refused', async () => {
    const c = v.vectors[0];
    const kp = ed25519KeyPairFromSeed(hex(c.input.private_key));
    const store = new MemoryNonceStore();
    const opts = { publicKey: kp.publicKey, keyId: 'k1', signature: c.expected.signature, nonceStore: store };
    const req = request(c.input);
    await expect(verifyHttpAttestation(req, { ...opts, nowSeconds: NOW + 60 })).resolves.toBeUndefined();
    expect(await codeOfAsync(() => verifyHttpAttestation(req, { ...opts, nowSeconds: NOW + 1 }))).toBe('REPLAY_DETECTED');
    // Same nonce under another key id is a different nonce.
    await expect(verifyHttpAttestation(req, { ...opts, keyId: 'k2', nowSeconds: NOW })).resolves.toBeUndefined();
    expect(await codeOfAsync(() => verifyHttpAttestation(req, { ...opts, nonceStore: new MemoryNonceStore(), nowSeconds: NOW + 61 }))).toBe('AUTH_INVALID');
    expect(await codeOfAsync(() => verifyHttpAttestation(req, { ...opts, nonceStore: new MemoryNonceStore(), nowSeconds: NOW - 61 }))).toBe('AUTH_INVALID');
  });

  test('a bad signature does not burn the nonce', async () => {
    const c = v.vectors[0];
    const kp = ed25519KeyPairFromSeed(hex(c.input.private_key));
    const store = new MemoryNonceStore();
    const req = request(c.input);
    const forged = b64uEncode(Buffer.alloc(64, 7));
    expect(await codeOfAsync(() => verifyHttpAttestation(req, { publicKey: kp.publicKey, keyId: 'k1', signature: forged, nowSeconds: NOW, nonceStore: store }))).toBe('AUTH_INVALID');
    await expect(
      verifyHttpAttestation(req, { publicKey: kp.publicKey, keyId: 'k1', signature: c.expected.signature, nowSeconds: NOW, nonceStore: store }),
    ).resolves.toBeUndefined();
  });

  test('replay_nonce.json through the nonce store', () => {
    const v2 = loadVector('crypto/replay_nonce.json');
    const store = new MemoryNonceStore();
    for (const t of v2.tests) {
      expect(store.checkAndStore(t.nonce, t.timestamp + 300, t.timestamp) ? 'accept' : 'reject').toBe(t.expected);
    }
    // After the window the nonce may be reused.
    expect(store.checkAndStore('nonce-used-1', 1768179000 + 300, 1768179000)).toBe(true);
  });

  test('fields with newlines (signing-input injection) are refused', () => {
    const req = request(v.vectors[0].input);
    expect(() => httpAttestationSigningInput({ ...req, nonce: 'a\nb' })).toThrow(expect.objectContaining({ code: 'SCHEMA_VALIDATION_ERROR' }));
    expect(() => httpAttestationSigningInput({ ...req, timestamp: '017' })).toThrow(expect.objectContaining({ code: 'SCHEMA_VALIDATION_ERROR' }));
  });

  test('a full nonce store fails closed', () => {
    const store = new MemoryNonceStore(2);
    expect(store.checkAndStore('a', 100, 0)).toBe(true);
    expect(store.checkAndStore('b', 100, 0)).toBe(true);
    expect(() => store.checkAndStore('c', 100, 0)).toThrow(expect.objectContaining({ code: 'NONCE_STORE_FULL' }));
    expect(store.checkAndStore('c', 300, 200)).toBe(true);
  });
});
