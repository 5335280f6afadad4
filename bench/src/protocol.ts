// Protocol benchmarks (issue 3): one row per operation, never averaged across operations.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createPublicKey, randomBytes } from 'node:crypto';
import {
  buildFrame,
  canonicalize,
  capabilityDigest,
  createPrekeyBundleV1,
  decodeWireMessage,
  decryptEnvelope,
  deserializeSession,
  ed25519KeyPairFromSeed,
  ed25519Sign,
  ed25519Verify,
  encodeWireMessage,
  encryptEnvelope,
  frameDigest,
  framePreimage,
  generateX25519KeyPair,
  initiateSessionV1,
  mintCapability,
  openSession,
  ratchetDecrypt,
  ratchetEncrypt,
  respondSessionV1,
  sealSession,
  secretAad,
  serializeSession,
  uuidv7,
  verifyCapability,
  type RatchetSession,
} from '@talos/protocol';
import { measureAsync, measureSync, type BenchRow } from './harness';

const suite = 'protocol';

/** canonicalize@4 ships an `import`-only export map; load its file directly (Node ≥20.19 can require ESM). */
function loadCanonicalizePackage(): (value: unknown) => string | undefined {
  const file = (require.resolve.paths('canonicalize') ?? [])
    .map((dir) => path.join(dir, 'canonicalize', 'lib', 'canonicalize.js'))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error('the canonicalize devDependency is not installed');
  return (require(file) as { default: (value: unknown) => string | undefined }).default;
}

/** A deterministic RBAC policy document of roughly 17 KB (roles, bindings, surface routes). */
function policyDocument(): unknown {
  const actions = ['read', 'write', 'delete', 'invoke', 'manage', 'rotate'];
  const namespaces = ['llm', 'mcp', 'a2a', 'keys', 'audit', 'budget', 'rbac', 'tools'];
  const roles = Array.from({ length: 20 }, (_, i) => ({
    schema_id: 'talos.rbac.role',
    schema_version: 'v1',
    role_id: `0190a5e0-7c3a-7000-8000-${String(i).padStart(12, '0')}`,
    name: `role_${i}_${namespaces[i % namespaces.length]}`,
    permissions: actions.slice(0, 2 + (i % 5)).map((a, j) => `${namespaces[(i + j) % namespaces.length]}:${a}`),
    built_in: i < 2,
    description: `Role ${i}: grants ${namespaces[i % namespaces.length]} access to the Ünïcødé team «${i}»`,
  }));
  const bindings = Array.from({ length: 33 }, (_, i) => ({
    binding_id: `b-${String(i).padStart(4, '0')}`,
    role_id: roles[i % roles.length].role_id,
    scope: { scope_type: i % 3 === 0 ? 'team' : 'repo', attributes: { team_id: `team-${i % 7}`, repo: `org/repo-${i}` } },
    created_at: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z`,
  }));
  const routes = Array.from({ length: 25 }, (_, i) => ({
    method: ['GET', 'POST', 'DELETE'][i % 3],
    path_template: `/admin/v1/${namespaces[i % namespaces.length]}/{id}/items/${i}`,
    permission: `${namespaces[i % namespaces.length]}:${actions[i % actions.length]}`,
    scope_template: { scope_type: 'team', attributes: { team_id: '{team_id}' } },
    public: i % 10 === 0,
  }));
  return { schema_id: 'talos.rbac.policy_bundle', schema_version: 'v1', principal_id: 'p-1', roles, bindings, routes, limits: { max_roles: 1000, ratio: 0.75 } };
}

function ratchetPair(): { alice: RatchetSession; bob: RatchetSession } {
  const spk = generateX25519KeyPair();
  const alice = initiateSessionV1(createPrekeyBundleV1(ed25519KeyPairFromSeed(randomBytes(32)), spk));
  const first = ratchetEncrypt(alice, Buffer.from('hello'));
  const bob = respondSessionV1(spk, first.header.dh);
  ratchetDecrypt(bob, first);
  return { alice, bob };
}

function ratchetRows(label: string, size: number): BenchRow[] {
  const plaintext = randomBytes(size);
  const enc = ratchetPair();
  const encryptOps = measureSync(() => encodeWireMessage(ratchetEncrypt(enc.alice, plaintext)));

  // Decrypt needs a fresh message per call. Pre-encrypt a small in-order pool once and snapshot the receiver;
  // when the pool is used up, restore the receiver from the snapshot (one deserialise per 1024 decrypts) and
  // replay the same wires. No large live heap, no pool to exhaust.
  const dec = ratchetPair();
  const snapshot = serializeSession(dec.bob);
  const wires = Array.from({ length: 1024 }, () => encodeWireMessage(ratchetEncrypt(dec.alice, plaintext)));
  let receiver = deserializeSession(snapshot);
  let next = 0;
  const decryptOps = measureSync(() => {
    if (next === wires.length) {
      receiver = deserializeSession(snapshot);
      next = 0;
    }
    if (ratchetDecrypt(receiver, decodeWireMessage(wires[next++])).length !== size) throw new Error('bad plaintext');
  });
  const target = size < 1000 ? '; target ≥100k' : '';
  return [
    { suite, name: `ratchet encrypt ${label} (wire v1.1.0)`, opsPerSec: encryptOps, note: `established session${target}` },
    { suite, name: `ratchet decrypt ${label} (wire v1.1.0)`, opsPerSec: decryptOps, note: `established session, in order${target}` },
  ];
}

function canonicalRows(name: string, value: unknown, npmCanonicalize: (v: unknown) => string | undefined): BenchRow[] {
  const ours = canonicalize(value);
  if (npmCanonicalize(value) !== ours) throw new Error(`${name}: output differs from the canonicalize package`);
  const oursOps = measureSync(() => canonicalize(value));
  const theirsOps = measureSync(() => npmCanonicalize(value));
  const ratio = (oursOps / theirsOps).toFixed(2);
  return [
    { suite, name: `canonical JSON ${name}`, opsPerSec: oursOps, note: `${Buffer.byteLength(ours)} B; ${ratio}x canonicalize@4, byte-identical; target ≥2x` },
    { suite, name: `canonicalize@4 ${name}`, opsPerSec: theirsOps, note: 'reference package, same input' },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const npmCanonicalize = loadCanonicalizePackage();

  rows.push(...ratchetRows('35 B', 35));
  rows.push(...ratchetRows('10 KB', 10_240));

  const frame = buildFrame({
    session_id: uuidv7(),
    sender_id: 'agent-alice',
    sender_seq: 42,
    header: Buffer.from('{"dh":"ZS08FeNGY32XUEKJQa0P1Wf_skkb4DUGu9Issoincno","n":0,"pn":0}'),
    ciphertext: randomBytes(64),
  });
  rows.push(...canonicalRows('frame preimage', framePreimage(frame), npmCanonicalize));
  rows.push(...canonicalRows('policy document', policyDocument(), npmCanonicalize));
  rows.push({ suite, name: 'frame digest (canonical + sha256)', opsPerSec: measureSync(() => frameDigest(frame)) });

  const { bob } = ratchetPair();
  const bytes = serializeSession(bob);
  rows.push({ suite, name: 'session serialise', opsPerSec: measureSync(() => serializeSession(bob)), note: `${bytes.length} B record; target ≥300k` });
  rows.push({ suite, name: 'session deserialise', opsPerSec: measureSync(() => deserializeSession(bytes)), note: 'target ≥300k' });
  const kek = randomBytes(32);
  const keyring = new Map([['client', kek]]);
  const sessionId = uuidv7();
  const sealed = sealSession(bob, { kekId: 'client', kek, sessionId });
  rows.push({ suite, name: 'session seal (serialise + AES-GCM)', opsPerSec: measureSync(() => sealSession(bob, { kekId: 'client', kek, sessionId })) });
  rows.push({ suite, name: 'session open (AES-GCM + deserialise)', opsPerSec: measureSync(() => openSession(sealed, { keyring, sessionId })) });

  const signer = ed25519KeyPairFromSeed(randomBytes(32));
  const message = randomBytes(64);
  const signature = ed25519Sign(signer.privateKey, message);
  rows.push({ suite, name: 'Ed25519 sign 64 B', opsPerSec: measureSync(() => ed25519Sign(signer.privateKey, message)) });
  const publicKeyObject = createPublicKey(signer.privateKey);
  rows.push({ suite, name: 'Ed25519 verify 64 B', opsPerSec: measureSync(() => ed25519Verify(publicKeyObject, message, signature)) });

  const secret = randomBytes(1024);
  const aad = secretAad(uuidv7());
  const envelope = encryptEnvelope({ kekId: 'v1', kek, plaintext: secret, aad });
  const envKeyring = new Map([['v1', kek]]);
  rows.push({ suite, name: 'envelope encrypt 1 KiB', opsPerSec: measureSync(() => encryptEnvelope({ kekId: 'v1', kek, plaintext: secret, aad })) });
  rows.push({ suite, name: 'envelope decrypt 1 KiB', opsPerSec: measureSync(() => decryptEnvelope(envelope, { keyring: envKeyring, aad })) });

  const now = Math.floor(Date.now() / 1000);
  const token = await mintCapability(
    {
      iss: 'supervisor-1',
      aud: 'talos-gateway',
      iat: now,
      exp: now + 3600,
      nonce: randomBytes(16).toString('base64url'),
      trace_id: uuidv7(),
      plan_id: uuidv7(),
      constraints: { tool_server: 'mcp-github', tool_name: 'create-branch', target_allowlist: ['org/repo'], read_only: false },
    },
    { privateKey: signer.privateKey },
  );
  rows.push({
    suite,
    name: 'capability verify (JWS EdDSA + claims)',
    opsPerSec: await measureAsync(() => verifyCapability(token, { publicKey: publicKeyObject, nowSeconds: now })),
    note: 'EdDSA compact JWS over node:crypto, no nonce store',
  });
  rows.push({ suite, name: 'capability digest', opsPerSec: measureSync(() => capabilityDigest(token)) });
  return rows;
}
