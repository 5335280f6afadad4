import {
  A2A_MAX_FRAME_BYTES,
  appendChainEvent,
  b64uEncode,
  buildFrame,
  chainEventDigest,
  checkSenderSequence,
  ciphertextHash,
  frameDigest,
  framePreimageBytes,
  frameReplayKey,
  sha256Hex,
  verifyEventChain,
  verifyFrame,
  type ChainEvent,
  type EncryptedFrame,
} from '@talos/protocol';
import { codeOf } from './vectors';

const SESSION = '01946896-1234-7567-89ab-000000000001';

describe('frame integrity (talos-domain.md §4.3 worked example)', () => {
  const example = {
    session_id: SESSION,
    sender_id: 'user_alice',
    sender_seq: 0,
    header_b64u: 'aGVhZGVyX2RhdGE',
    ciphertext_b64u: 'Y2lwaGVydGV4dF9kYXRh',
  };
  const CIPHERTEXT_HASH = 'd9448640966a57135de6dc14de68458deda2ac7b0ae6e047cb4572931093a495';
  const FRAME_DIGEST = '4d2ceeb18d84e478ee3f86599ce62092a598549875ebb8f0c20b78aa375a6142';

  test('ciphertext_hash and frame_digest match the reference example', () => {
    expect(ciphertextHash(example.ciphertext_b64u)).toBe(CIPHERTEXT_HASH);
    expect(frameDigest({ ...example, ciphertext_hash: CIPHERTEXT_HASH })).toBe(FRAME_DIGEST);
    expect(framePreimageBytes({ ...example, ciphertext_hash: CIPHERTEXT_HASH }).toString()).toBe(
      `{"ciphertext_hash":"${CIPHERTEXT_HASH}","header_b64u":"aGVhZGVyX2RhdGE","schema_id":"talos.a2a.encrypted_frame",` +
        `"schema_version":"v1","sender_id":"user_alice","sender_seq":0,"session_id":"${SESSION}"}`,
    );
    const frame = buildFrame({ session_id: SESSION, sender_id: 'user_alice', sender_seq: 0, header: Buffer.from('header_data'), ciphertext: Buffer.from('ciphertext_data') });
    expect(frame).toEqual({ ...example, ciphertext_hash: CIPHERTEXT_HASH, frame_digest: FRAME_DIGEST });
    expect(() => verifyFrame(frame)).not.toThrow();
  });

  test('ciphertext_hash covers exactly the decoded ciphertext_b64u bytes, nonce included (§10.27)', () => {
    const nonce = Buffer.alloc(12, 9);
    const body = Buffer.from('sealed-bytes-and-tag');
    const frame = buildFrame({ session_id: SESSION, sender_id: 'a', sender_seq: 1, header: Buffer.from('{}'), ciphertext: Buffer.concat([nonce, body]) });
    expect(frame.ciphertext_hash).toBe(sha256Hex(Buffer.concat([nonce, body])));
    // The Python SDK's nonce-less hash is rejected.
    expect(codeOf(() => verifyFrame({ ...frame, ciphertext_hash: sha256Hex(body) }))).toBe('A2A_FRAME_CIPHERTEXT_HASH_MISMATCH');
  });

  test('checks run in order: shape → size → ciphertext hash → frame digest', () => {
    const frame = buildFrame({ session_id: SESSION, sender_id: 'a', sender_seq: 1, header: Buffer.from('h'), ciphertext: Buffer.from('c') });
    const cases: [Partial<EncryptedFrame>, string][] = [
      [{ sender_seq: -1 }, 'A2A_FRAME_SCHEMA_INVALID'],
      [{ session_id: 'not-a-uuid' }, 'A2A_FRAME_SCHEMA_INVALID'],
      [{ sender_id: '' }, 'A2A_FRAME_SCHEMA_INVALID'],
      [{ sender_id: 'x'.repeat(256) }, 'A2A_FRAME_SCHEMA_INVALID'],
      [{ header_b64u: 'aGVhZGVy==' }, 'A2A_FRAME_SCHEMA_INVALID'],
      [{ ciphertext_b64u: 'Yw==' }, 'A2A_FRAME_SCHEMA_INVALID'],
      [{ header_b64u: 'A'.repeat(11_000) }, 'A2A_FRAME_SIZE_EXCEEDED'],
      // Oversized *and* with a wrong hash: size wins, and nothing is decoded or hashed.
      [{ ciphertext_b64u: 'A'.repeat(Math.ceil(((A2A_MAX_FRAME_BYTES + 1) * 4) / 3) + 4), ciphertext_hash: '0'.repeat(64) }, 'A2A_FRAME_SIZE_EXCEEDED'],
      [{ ciphertext_b64u: b64uEncode(Buffer.from('d')) }, 'A2A_FRAME_CIPHERTEXT_HASH_MISMATCH'],
      [{ sender_seq: 2 }, 'A2A_FRAME_DIGEST_MISMATCH'],
      [{ header_b64u: b64uEncode(Buffer.from('H')) }, 'A2A_FRAME_DIGEST_MISMATCH'],
    ];
    for (const [change, code] of cases) expect(codeOf(() => verifyFrame({ ...frame, ...change }))).toBe(code);
  });

  test('exactly 1 MiB of ciphertext is accepted, one byte more is not', () => {
    const mk = (n: number) => buildFrame({ session_id: SESSION, sender_id: 'a', sender_seq: 0, header: Buffer.from('h'), ciphertext: Buffer.alloc(n, 1) });
    expect(() => verifyFrame(mk(A2A_MAX_FRAME_BYTES))).not.toThrow();
    expect(codeOf(() => mk(A2A_MAX_FRAME_BYTES + 1))).toBe('A2A_FRAME_SIZE_EXCEEDED');
  });

  test('sender sequence window: first frame ≤ 1023, then at most 1024 ahead of the highest seen', () => {
    expect(() => checkSenderSequence(1023, undefined)).not.toThrow();
    expect(codeOf(() => checkSenderSequence(1024, undefined))).toBe('A2A_FRAME_SEQUENCE_TOO_FAR');
    expect(() => checkSenderSequence(1024 + 10, 10)).not.toThrow();
    expect(codeOf(() => checkSenderSequence(1024 + 11, 10))).toBe('A2A_FRAME_SEQUENCE_TOO_FAR');
    expect(() => checkSenderSequence(3, 10)).not.toThrow();
  });

  test('replay key is unambiguous', () => {
    expect(frameReplayKey({ session_id: SESSION, sender_id: 'a:1', sender_seq: 2 })).not.toBe(frameReplayKey({ session_id: SESSION, sender_id: 'a', sender_seq: 12 }));
    expect(frameReplayKey({ session_id: SESSION, sender_id: 'a', sender_seq: 2 })).toBe(frameReplayKey({ session_id: SESSION, sender_id: 'a', sender_seq: 2 }));
  });
});

describe('session and group event chains (§4.5, fixing §10.28)', () => {
  const ids = (i: number) => `01946896-1234-7567-89ab-0000000001${String(i).padStart(2, '0')}`;

  function sessionChain(): ChainEvent[] {
    const types = ['session_opened', 'session_accepted', 'session_rotated', 'session_closed'];
    const out: ChainEvent[] = [];
    types.forEach((event_type, i) => {
      out.push(appendChainEvent('session', out[i - 1], { event_id: ids(i), session_id: SESSION, actor_id: i % 2 ? 'bob' : 'alice', event_type, ts: `2026-01-15T14:0${i}:00.000Z` }));
    });
    return out;
  }

  test('genesis has no previous_digest; every later digest covers the previous one', () => {
    const chain = sessionChain();
    expect(chain[0].previous_digest).toBeUndefined();
    for (let i = 1; i < chain.length; i++) expect(chain[i].previous_digest).toBe(chain[i - 1].event_digest);
    expect(() => verifyEventChain('session', chain)).not.toThrow();
    // Same event content, different predecessor → different digest: the link is in the hash.
    const { previous_digest: _p, event_digest: _d, ...input } = chain[2];
    expect(chainEventDigest('session', input, chain[1].event_digest)).toBe(chain[2].event_digest);
    expect(chainEventDigest('session', input, chain[0].event_digest)).not.toBe(chain[2].event_digest);
    expect(chainEventDigest('session', input, undefined)).not.toBe(chain[2].event_digest);
  });

  test('re-linking, reordering, dropping or editing events is detected', () => {
    const chain = sessionChain();
    expect(codeOf(() => verifyEventChain('session', [chain[0], chain[2], chain[3]]))).toBe('A2A_EVENT_CHAIN_BROKEN');
    expect(codeOf(() => verifyEventChain('session', [chain[1], chain[0]]))).toBe('A2A_EVENT_CHAIN_BROKEN');
    // Rewriting previous_digest without recomputing the digest (the reference's stored-but-unhashed link).
    expect(codeOf(() => verifyEventChain('session', [chain[0], { ...chain[2], previous_digest: chain[0].event_digest }]))).toBe('A2A_EVENT_CHAIN_BROKEN');
    expect(codeOf(() => verifyEventChain('session', [chain[0], { ...chain[1], actor_id: 'mallory' }]))).toBe('A2A_EVENT_CHAIN_BROKEN');
  });

  test('group events hash target_id and event_data (the group name is no longer dropped)', () => {
    const created = appendChainEvent('group', undefined, { event_id: ids(1), group_id: SESSION, actor_id: 'owner', event_type: 'group_created', ts: '2026-01-15T14:00:00.000Z', event_data: { name: 'ops' } });
    const added = appendChainEvent('group', created, { event_id: ids(2), group_id: SESSION, actor_id: 'owner', target_id: 'owner', event_type: 'member_added', ts: '2026-01-15T14:00:00.001Z' });
    expect(() => verifyEventChain('group', [created, added])).not.toThrow();
    expect(codeOf(() => verifyEventChain('group', [{ ...created, event_data: { name: 'ops2' } }, added]))).toBe('A2A_EVENT_CHAIN_BROKEN');
    expect(codeOf(() => verifyEventChain('group', [created, { ...added, target_id: 'mallory' }]))).toBe('A2A_EVENT_CHAIN_BROKEN');
  });

  test('malformed timestamps, unknown types and foreign subjects are refused', () => {
    const base = { event_id: ids(1), session_id: SESSION, actor_id: 'a', event_type: 'session_opened', ts: '2026-01-15T14:00:00.000Z' };
    expect(codeOf(() => appendChainEvent('session', undefined, { ...base, ts: '2026-01-15T14:00:00.000000+00:00Z' }))).toBe('A2A_EVENT_INVALID');
    expect(codeOf(() => appendChainEvent('session', undefined, { ...base, event_type: 'member_added' }))).toBe('A2A_EVENT_INVALID');
    const first = appendChainEvent('session', undefined, base);
    expect(codeOf(() => appendChainEvent('session', first, { ...base, event_id: ids(2), session_id: '01946896-1234-7567-89ab-000000000002' }))).toBe('A2A_EVENT_INVALID');
  });
});
