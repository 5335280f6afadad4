import { createPublicKey, randomBytes } from 'node:crypto';
import {
  argsDigest,
  b64uEncode,
  capabilityDigest,
  checkCapabilityCall,
  ed25519KeyPairFromSeed,
  MemoryNonceStore,
  mintCapability,
  sha256Hex,
  verifyCapability,
  type CapabilityClaims,
} from '@talos/protocol';

const supervisorPair = ed25519KeyPairFromSeed(Buffer.alloc(32, 7));
const supervisor = { ...supervisorPair, publicKeyObject: () => createPublicKey(supervisorPair.privateKey) };
const other = ed25519KeyPairFromSeed(Buffer.alloc(32, 8));
const NOW = 1_768_000_000;

function claims(overrides: Partial<CapabilityClaims> = {}): CapabilityClaims {
  return {
    iss: 'did:key:z6Mk-supervisor',
    aud: 'talos-gateway',
    iat: NOW,
    exp: NOW + 300,
    nonce: 'n0nce-0123456789abcdef',
    trace_id: '01946896-1234-7567-89ab-000000000010',
    plan_id: '01946896-1234-7567-89ab-000000000011',
    constraints: {
      tool_server: 'mcp-github',
      tool_name: 'create-branch',
      target_allowlist: ['talosprotocol/talos-ai-gateway'],
      arg_constraints: { allowed_keys: ['name', 'base'], prefixes: { name: 'fix/' }, equals: { base: 'main' } },
      read_only: false,
    },
    ...overrides,
  };
}

async function codeOf(fn: () => Promise<unknown> | unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

const verifyOpts = { publicKey: supervisor.publicKey, nowSeconds: NOW + 10 };

describe('capability tokens (JWS EdDSA)', () => {
  test('mint → verify round trip; header is EdDSA; digest is sha256 hex of the token string', async () => {
    const token = await mintCapability(claims(), { privateKey: supervisor.privateKey, kid: 'sup-1' });
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'sup-1' });
    expect(await verifyCapability(token, verifyOpts)).toEqual(claims());
    expect(capabilityDigest(token)).toBe(sha256Hex(Buffer.from(token, 'utf8')));
    expect(capabilityDigest(token)).toMatch(/^[a-f0-9]{64}$/);
  });

  test('wrong key, tampered payload, alg none/HS256 → SIGNATURE_INVALID or CAPABILITY_INVALID', async () => {
    const token = await mintCapability(claims(), { privateKey: supervisor.privateKey });
    expect(await codeOf(() => verifyCapability(token, { ...verifyOpts, publicKey: other.publicKey }))).toBe('SIGNATURE_INVALID');
    const [h, , s] = token.split('.');
    const forgedPayload = b64uEncode(Buffer.from(JSON.stringify({ ...claims(), constraints: { ...claims().constraints, tool_name: 'delete-repo' } })));
    expect(await codeOf(() => verifyCapability(`${h}.${forgedPayload}.${s}`, verifyOpts))).toBe('SIGNATURE_INVALID');
    const none = b64uEncode(Buffer.from('{"alg":"none"}'));
    expect(await codeOf(() => verifyCapability(`${none}.${token.split('.')[1]}.`, verifyOpts))).toBe('SIGNATURE_INVALID');
    const hs = b64uEncode(Buffer.from('{"alg":"HS256"}'));
    expect(await codeOf(() => verifyCapability(`${hs}.${token.split('.')[1]}.${s}`, verifyOpts))).toBe('SIGNATURE_INVALID');
    expect(await codeOf(() => verifyCapability('not.a.jws', verifyOpts))).toBe('CAPABILITY_INVALID');
    expect(await codeOf(() => verifyCapability('ey...', verifyOpts))).toBe('CAPABILITY_INVALID');
  });

  test('audience, expiry, not-before and issued-in-future, with bounded leeway', async () => {
    const mint = (c: Partial<CapabilityClaims>) => mintCapability(claims(c), { privateKey: supervisor.privateKey });
    expect(await codeOf(async () => verifyCapability(await mint({ aud: 'someone-else' }), verifyOpts))).toBe('AUDIENCE_MISMATCH');
    const token = await mint({});
    expect(await codeOf(() => verifyCapability(token, { ...verifyOpts, nowSeconds: NOW + 300 + 30 }))).toBe('EXPIRED');
    await expect(verifyCapability(token, { ...verifyOpts, nowSeconds: NOW + 300 + 29 })).resolves.toBeDefined();
    expect(await codeOf(() => verifyCapability(token, { ...verifyOpts, nowSeconds: NOW + 300, leewaySeconds: 0 }))).toBe('EXPIRED');
    const later = await mint({ nbf: NOW + 100 });
    expect(await codeOf(() => verifyCapability(later, { ...verifyOpts, nowSeconds: NOW + 69 }))).toBe('NOT_BEFORE');
    await expect(verifyCapability(later, { ...verifyOpts, nowSeconds: NOW + 70 })).resolves.toBeDefined();
    expect(await codeOf(() => verifyCapability(token, { ...verifyOpts, nowSeconds: NOW - 31 }))).toBe('NOT_BEFORE');
    expect(await codeOf(() => verifyCapability(token, { ...verifyOpts, leewaySeconds: 301 }))).toBe('CONFIG_ERROR');
  });

  test('nonce replay is tracked through the pluggable store', async () => {
    const token = await mintCapability(claims(), { privateKey: supervisor.privateKey });
    const nonceStore = new MemoryNonceStore();
    await expect(verifyCapability(token, { ...verifyOpts, nonceStore })).resolves.toBeDefined();
    expect(await codeOf(() => verifyCapability(token, { ...verifyOpts, nonceStore }))).toBe('REPLAY_DETECTED');
  });

  test('claims are a closed, typed set (mint and verify)', async () => {
    const mint = (c: unknown) => mintCapability(c as CapabilityClaims, { privateKey: supervisor.privateKey });
    for (const bad of [
      { ...claims(), extra: 1 },
      { ...claims(), nonce: 'short' },
      { ...claims(), trace_id: 'not-a-uuid' },
      { ...claims(), exp: NOW - 1 },
      { ...claims(), iat: 1.5 },
      { ...claims(), constraints: { ...claims().constraints, read_only: 'no' } },
      { ...claims(), constraints: { ...claims().constraints, unknown: true } },
      { ...claims(), constraints: { ...claims().constraints, arg_constraints: { regex: '.*' } } },
      { ...claims(), constraints: { ...claims().constraints, arg_constraints: { digest_allowlist: ['abc'] } } },
      { ...claims(), constraints: { ...claims().constraints, tool_name: 'Create Branch' } },
    ]) {
      expect(await codeOf(() => mint(bad))).toBe('CAPABILITY_INVALID');
    }
  });

  test('interoperates with jose in both directions', async () => {
    const jose = await import('jose');
    const token = mintCapability(claims(), { privateKey: supervisor.privateKey });
    const { payload, protectedHeader } = await jose.compactVerify(token, supervisor.publicKeyObject(), { algorithms: ['EdDSA'] });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(JSON.parse(Buffer.from(payload).toString())).toEqual(claims());
    const joseToken = await new jose.CompactSign(Buffer.from(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k' })
      .sign(supervisor.privateKey);
    expect(await verifyCapability(joseToken, verifyOpts)).toEqual(claims());
  });

  test('header parameters beyond alg/typ/kid (crit, b64, embedded keys) are refused', async () => {
    const { CompactSign } = await import('jose');
    const body = Buffer.from(JSON.stringify(claims()));
    const withCrit = await new CompactSign(body).setProtectedHeader({ alg: 'EdDSA', crit: ['exp'], exp: 1 } as never).sign(supervisor.privateKey, { crit: { exp: true } });
    expect(await codeOf(() => verifyCapability(withCrit, verifyOpts))).toBe('CAPABILITY_INVALID');
    const withJwk = await new CompactSign(body).setProtectedHeader({ alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519', x: b64uEncode(other.publicKey) } }).sign(supervisor.privateKey);
    expect(await codeOf(() => verifyCapability(withJwk, verifyOpts))).toBe('CAPABILITY_INVALID');
  });

  test('a payload with duplicate keys is refused even with a valid signature', async () => {
    const { CompactSign } = await import('jose');
    const json = JSON.stringify(claims()).replace('"aud":"talos-gateway"', '"aud":"talos-gateway","aud":"talos-gateway"');
    const token = await new CompactSign(Buffer.from(json)).setProtectedHeader({ alg: 'EdDSA' }).sign(supervisor.privateKey);
    expect(await codeOf(() => verifyCapability(token, verifyOpts))).toBe('CAPABILITY_INVALID');
  });
});

describe('checkCapabilityCall: every constraint is enforced', () => {
  const c = claims();
  const call = {
    tool_server: 'mcp-github',
    tool_name: 'create-branch',
    args: { name: 'fix/auth-vuln-1', base: 'main' },
    targets: ['talosprotocol/talos-ai-gateway'],
    tool_class: 'write' as const,
  };

  test('a matching call passes', () => {
    expect(() => checkCapabilityCall(c, call)).not.toThrow();
  });

  test('server and tool name', async () => {
    expect(await codeOf(() => checkCapabilityCall(c, { ...call, tool_name: 'delete-branch' }))).toBe('TOOL_UNAUTHORIZED');
    expect(await codeOf(() => checkCapabilityCall(c, { ...call, tool_server: 'mcp-gitlab' }))).toBe('TOOL_UNAUTHORIZED');
  });

  test('read_only uses the registry class, unknown counts as write', async () => {
    const ro = claims({ constraints: { ...c.constraints, read_only: true } });
    expect(await codeOf(() => checkCapabilityCall(ro, call))).toBe('READ_ONLY_VIOLATION');
    expect(await codeOf(() => checkCapabilityCall(ro, { ...call, tool_class: undefined }))).toBe('READ_ONLY_VIOLATION');
    expect(() => checkCapabilityCall(ro, { ...call, tool_class: 'read' })).not.toThrow();
  });

  test('target allowlist', async () => {
    expect(await codeOf(() => checkCapabilityCall(c, { ...call, targets: ['talosprotocol/other'] }))).toBe('TGA_CONSTRAINT_VIOLATION');
    expect(await codeOf(() => checkCapabilityCall(c, { ...call, targets: ['talosprotocol/talos-ai-gateway', 'x'] }))).toBe('TGA_CONSTRAINT_VIOLATION');
  });

  test('argument constraints: allowed keys, prefixes, equality, digest allowlist', async () => {
    expect(await codeOf(() => checkCapabilityCall(c, { ...call, args: { ...call.args, force: true } }))).toBe('TGA_CONSTRAINT_VIOLATION');
    expect(await codeOf(() => checkCapabilityCall(c, { ...call, args: { name: 'main', base: 'main' } }))).toBe('TGA_CONSTRAINT_VIOLATION');
    expect(await codeOf(() => checkCapabilityCall(c, { ...call, args: { name: 'fix/x', base: 'develop' } }))).toBe('TGA_CONSTRAINT_VIOLATION');
    expect(await codeOf(() => checkCapabilityCall(c, { ...call, args: { name: 'fix/x' } }))).toBe('TGA_CONSTRAINT_VIOLATION');
    const pinned = claims({ constraints: { ...c.constraints, arg_constraints: { digest_allowlist: [argsDigest(call.args)] } } });
    expect(() => checkCapabilityCall(pinned, call)).not.toThrow();
    expect(() => checkCapabilityCall(pinned, { ...call, args: { base: 'main', name: 'fix/auth-vuln-1' } })).not.toThrow();
    expect(await codeOf(() => checkCapabilityCall(pinned, { ...call, args: { ...call.args, name: 'fix/other' } }))).toBe('TGA_CONSTRAINT_VIOLATION');
    expect(await codeOf(() => checkCapabilityCall(pinned, { ...call, args: { ...call.args, ratio: 0.5 } }))).toBe('TGA_CONSTRAINT_VIOLATION');
  });

  test('random garbage tokens never verify', async () => {
    for (let i = 0; i < 20; i++) {
      const junk = [randomBytes(20), randomBytes(40), randomBytes(64)].map((b) => b64uEncode(b)).join('.');
      const code = await codeOf(() => verifyCapability(junk, verifyOpts));
      expect(['CAPABILITY_INVALID', 'SIGNATURE_INVALID']).toContain(code);
    }
  });
});
