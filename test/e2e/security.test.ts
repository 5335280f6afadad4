// The edges: bearer token verification, the principal assertion, forged headers, operation limits.
import { randomUUID, generateKeyPairSync, createSecretKey } from 'node:crypto';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { SignJWT, UnsecuredJWT, importJWK, type JWK } from 'jose';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signAssertion, ASSERTION_HEADER, REQUEST_ID_HEADER } from '@talos/kit';
import { startStack, post, codeOf, type Stack } from '../src/harness';

describe('edges of the platform', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TALOS_MAX_DEPTH: '5', TALOS_MAX_ALIASES: '3', TALOS_MAX_DOCUMENT_BYTES: '2000' } });
  });
  afterAll(() => stack?.stop());

  const me = (token: string) => post(stack.gatewayUrl, { query: '{ me { id } }' }, { authorization: `Bearer ${token}` });
  const signingKey = async () => {
    const keys = JSON.parse(readFileSync(path.join(stack.platform.runtime.config.stateDir, 'keys.json'), 'utf8')) as { token: { private: JWK } };
    return { key: await importJWK(keys.token.private, 'EdDSA'), kid: keys.token.private.kid! };
  };
  const claims = (over: Partial<{ iss: string; aud: string; exp: number; nbf: number }> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { sub: 'admin', jti: randomUUID(), iss: 'talos', aud: 'talos-api', iat: now, nbf: now, exp: now + 600, ...over };
  };

  it('accepts a well-formed EdDSA token', async () => {
    const { key, kid } = await signingKey();
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key);
    expect((await me(token)).data).toEqual({ me: { id: 'admin' } });
  });

  it('rejects alg none, HS256, expired, not-yet-valid, wrong issuer/audience and unknown keys with 401 UNAUTHENTICATED', async () => {
    const { key, kid } = await signingKey();
    const now = Math.floor(Date.now() / 1000);
    const other = generateKeyPairSync('ed25519').privateKey;
    const bad = [
      new UnsecuredJWT(claims()).encode(),
      await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid }).sign(createSecretKey(Buffer.alloc(32, 7))),
      await new SignJWT(claims({ exp: now - 60, nbf: now - 120 })).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key),
      await new SignJWT(claims({ nbf: now + 600 })).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key),
      await new SignJWT(claims({ iss: 'evil' })).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key),
      await new SignJWT(claims({ aud: 'elsewhere' })).setProtectedHeader({ alg: 'EdDSA', kid }).sign(key),
      await new SignJWT(claims()).setProtectedHeader({ alg: 'EdDSA', kid: 'unknown' }).sign(other),
      'not-a-jwt',
    ];
    for (const token of bad) {
      const r = await me(token);
      expect({ status: r.status, code: codeOf(r) }).toEqual({ status: 401, code: expect.stringMatching(/^(UNAUTHENTICATED|AUTH_EXPIRED)$/) });
    }
  });

  it('a subgraph called directly without (or with a forged) assertion refuses, over HTTP and WebSocket', async () => {
    const sg = stack.platform.subgraphs[0];
    const noAssertion = await post(sg.url, { query: '{ _service { sdl } }' });
    expect({ status: noAssertion.status, code: codeOf(noAssertion) }).toEqual({ status: 401, code: 'ASSERTION_INVALID' });
    const requestId = randomUUID();
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = await new SignJWT({ rid: requestId })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'talos-assertion+jwt' })
      .setIssuer('talos-gateway')
      .setAudience('talos-subgraph')
      .setSubject('admin')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(other);
    expect(codeOf(await post(sg.url, { query: '{ roles { id } }' }, { [ASSERTION_HEADER]: forged, [REQUEST_ID_HEADER]: requestId }))).toBe('ASSERTION_INVALID');
    // A genuine assertion replayed onto another request id is refused too.
    const genuine = await signAssertion(stack.platform.runtime.keys.assertionSigningKey!, { principal: { id: 'admin' }, requestId }, 60);
    expect(codeOf(await post(sg.url, { query: '{ roles { id } }' }, { [ASSERTION_HEADER]: genuine, [REQUEST_ID_HEADER]: randomUUID() }))).toBe('ASSERTION_INVALID');
    expect((await post(sg.url, { query: '{ roles { id } }' }, { [ASSERTION_HEADER]: genuine, [REQUEST_ID_HEADER]: requestId })).errors).toBeUndefined();

    // WebSocket: no assertion, or a genuine one without the request id it is bound to → 4403.
    const connect = async (connectionParams: Record<string, unknown>) => {
      const client = createClient({ url: sg.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, connectionParams });
      const outcome = await new Promise<string | number>((resolve) => {
        client.on('connected', () => resolve('connected'));
        client.on('closed', (e) => resolve((e as { code: number }).code));
      });
      await client.dispose();
      return outcome;
    };
    expect(await connect({})).toBe(4403);
    expect(await connect({ assertion: genuine })).toBe(4403);
    expect(await connect({ assertion: genuine, requestId: randomUUID() })).toBe(4403);
    expect(await connect({ assertion: genuine, requestId })).toBe('connected');
  });

  it('ignores forged x-talos-* headers sent to the gateway', async () => {
    const forgedHeaders = { 'x-talos-principal': 'admin', 'x-talos-assertion': 'forged', 'x-talos-request-id': 'r' };
    const anon = await post(stack.gatewayUrl, { query: '{ roles { id } }' }, forgedHeaders);
    expect(codeOf(anon)).toBe('UNAUTHENTICATED');
    const noBody = await post(stack.gatewayUrl, { query: '{ me { id } }' }, { ...forgedHeaders, authorization: `Bearer ${stack.adminToken}` });
    expect(noBody.data).toEqual({ me: { id: 'admin' } });
  });

  it('rejects operations over the limits before planning, with OPERATION_LIMIT_EXCEEDED', async () => {
    const admin = { authorization: `Bearer ${stack.adminToken}` };
    const deep = await post(stack.gatewayUrl, { query: '{ me { principal { roles { id } bindings { role { id } scope { attributes { key } } } } } }' }, admin);
    expect(codeOf(deep)).toBe('OPERATION_LIMIT_EXCEEDED');
    expect(deep.errors![0].extensions!.details).toEqual({ limit: 'depth', max: 5 });
    const aliases = await post(stack.gatewayUrl, { query: '{ a: me { id } b: me { id } c: me { id } d: me { id } }' }, admin);
    expect(codeOf(aliases)).toBe('OPERATION_LIMIT_EXCEEDED');
    const big = await post(stack.gatewayUrl, { query: `{ me { id } } # ${'x'.repeat(3000)}` }, admin);
    expect({ status: big.status, code: codeOf(big) }).toEqual({ status: 400, code: 'OPERATION_LIMIT_EXCEEDED' });
    const batch = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...admin }, body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]) });
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0].extensions.code).toBe('OPERATION_LIMIT_EXCEEDED');
  });

  it('queries and mutations also run over the gateway WebSocket', async () => {
    const client = stack.ws(stack.adminToken);
    const result = await new Promise((resolve, reject) => {
      client.subscribe({ query: '{ me { id } }' }, { next: resolve, error: reject, complete: () => undefined });
    });
    expect(result).toEqual({ data: { me: { id: 'admin' } } });
  });

  it('health and metrics endpoints answer', async () => {
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { 'subgraph:policy': true } });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('talos_http_requests_total');
  });
});
