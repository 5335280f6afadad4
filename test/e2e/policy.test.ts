// Policy administration through the gateway on real PostgreSQL (+ Redis when REDIS_URL is set).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import path from 'node:path';
import { startStack, startProcess, principalWith, codeOf, post, ROOT, TEST_KEK, type Stack } from '../src/harness';

const UPSERT_ROLE = 'mutation($i: RoleInput!) { upsertRole(input: $i) { id name permissions builtIn } }';
const SET_BINDINGS = 'mutation($p: ID!, $b: [BindingInput!]!) { setBindings(principalId: $p, bindings: $b) { bindings { id role { name } scope { type attributes { key value } } } } }';
const UPSERT_PRINCIPAL = 'mutation($i: PrincipalInput!) { upsertPrincipal(input: $i) { id } }';

describe('policy subgraph through the gateway', () => {
  let stack: Stack;
  let admin: string;
  beforeAll(async () => {
    stack = await startStack();
    admin = stack.adminToken;
  });
  afterAll(() => stack?.stop());

  const count = async (sql: string) => {
    const c = new pg.Client({ connectionString: stack.databaseUrl });
    await c.connect();
    try {
      return Number((await c.query(sql)).rows[0].n);
    } finally {
      await c.end();
    }
  };

  it('bootstraps the built-in admin role and binding; built-in roles are protected', async () => {
    const me = await stack.gql('{ me { id effectivePermissions bindings { role { name builtIn } scope { type } } } roles { id name builtIn } }', {}, admin);
    expect(me.data.me).toMatchObject({ id: 'admin', effectivePermissions: ['*:*'], bindings: [{ role: { name: 'admin', builtIn: true }, scope: { type: 'GLOBAL' } }] });
    const adminRole = me.data.roles.find((r: { name: string }) => r.name === 'admin');
    expect(codeOf(await stack.gql(UPSERT_ROLE, { i: { id: adminRole.id, name: 'admin', permissions: ['x:y'] } }, admin))).toBe('RBAC_ROLE_PROTECTED');
    expect(codeOf(await stack.gql('mutation($id: ID!) { deleteRole(id: $id) { id } }', { id: adminRole.id }, admin))).toBe('RBAC_ROLE_PROTECTED');
    expect(codeOf(await stack.gql(SET_BINDINGS, { p: 'admin', b: [] }, admin))).toBe('RBAC_PRINCIPAL_PROTECTED');
  });

  it('normalises permissions, rejects bad input with BAD_USER_INPUT and stores nothing', async () => {
    const before = await count('SELECT count(*) AS n FROM policy.roles');
    const auditBefore = await count('SELECT count(*) AS n FROM audit.events');
    for (const input of [
      { name: 'bad name!', permissions: ['a:b'] },
      { name: 'ok', permissions: [] },
      { name: 'ok', permissions: ['NOPE'] },
      { name: 'ok', permissions: ['a:*:b'] },
    ]) {
      expect(codeOf(await stack.gql(UPSERT_ROLE, { i: input }, admin))).toBe('BAD_USER_INPUT');
    }
    expect(await count('SELECT count(*) AS n FROM policy.roles')).toBe(before);
    expect(await count('SELECT count(*) AS n FROM audit.events')).toBe(auditBefore);
    const ok = await stack.gql(UPSERT_ROLE, { i: { name: `dots-${randomUUID().slice(0, 6)}`, permissions: ['secrets.read', 'secrets.read', 'audit:read'] } }, admin);
    expect(ok.data.upsertRole.permissions).toEqual(['audit:read', 'secrets:read']);
  });

  it('deleting a role in use fails with RBAC_ROLE_IN_USE; unknown role with NOT_FOUND', async () => {
    const role = (await stack.gql(UPSERT_ROLE, { i: { name: `inuse-${randomUUID().slice(0, 6)}`, permissions: ['x:y'] } }, admin)).data.upsertRole;
    const pid = `svc-${randomUUID().slice(0, 6)}`;
    await stack.gql(UPSERT_PRINCIPAL, { i: { id: pid } }, admin);
    expect((await stack.gql(SET_BINDINGS, { p: pid, b: [{ roleId: role.id }] }, admin)).errors).toBeUndefined();
    const del = await stack.gql('mutation($id: ID!) { deleteRole(id: $id) { id } }', { id: role.id }, admin);
    expect(codeOf(del)).toBe('RBAC_ROLE_IN_USE');
    expect(del.errors![0].extensions!.details).toMatchObject({ bindings: 1 });
    await stack.gql(SET_BINDINGS, { p: pid, b: [] }, admin);
    expect((await stack.gql('mutation($id: ID!) { deleteRole(id: $id) { name } }', { id: role.id }, admin)).data.deleteRole.name).toBe(role.name);
    expect(codeOf(await stack.gql('mutation($id: ID!) { deleteRole(id: $id) { id } }', { id: role.id }, admin))).toBe('NOT_FOUND');
    expect(codeOf(await stack.gql(SET_BINDINGS, { p: pid, b: [{ roleId: role.id }] }, admin))).toBe('RBAC_ROLE_NOT_FOUND');
    expect(codeOf(await stack.gql(SET_BINDINGS, { p: 'no-such-principal', b: [] }, admin))).toBe('NOT_FOUND');
  });

  it('authorize returns the full decision with every reason code', async () => {
    const pid = `dec-${randomUUID().slice(0, 6)}`;
    await principalWith(stack, pid, [{ permissions: ['secrets:read'], scope: { type: 'SECRET', attributes: [{ key: 'name', value: 'db' }] } }]);
    const q = 'query($p: ID!, $perm: String!, $s: ScopeInput) { authorize(principalId: $p, permission: $perm, scope: $s) { allowed reasonCode matchedBindingIds effectiveBindingId } }';
    const secret = (name: string) => ({ type: 'SECRET', attributes: [{ key: 'name', value: name }] });
    expect((await stack.gql(q, { p: pid, perm: 'secrets.read', s: secret('db') }, admin)).data.authorize).toMatchObject({ allowed: true, reasonCode: 'RBAC_PERMISSION_ALLOWED' });
    expect((await stack.gql(q, { p: pid, perm: 'secrets:read', s: secret('other') }, admin)).data.authorize).toMatchObject({ allowed: false, reasonCode: 'RBAC_SCOPE_MISMATCH' });
    expect((await stack.gql(q, { p: pid, perm: 'secrets:write', s: secret('db') }, admin)).data.authorize).toMatchObject({ allowed: false, reasonCode: 'RBAC_PERMISSION_DENIED' });
    expect((await stack.gql(q, { p: 'unbound', perm: 'secrets:read' }, admin)).data.authorize).toMatchObject({ allowed: false, reasonCode: 'RBAC_BINDING_NOT_FOUND' });
  });

  it('a binding change takes effect on the next request, without restart', async () => {
    const pid = `live-${randomUUID().slice(0, 6)}`;
    const token = await principalWith(stack, pid, [{ permissions: ['policy:roles:read'] }]);
    expect((await stack.gql('{ roles { id } }', {}, token)).errors).toBeUndefined();
    await stack.gql(SET_BINDINGS, { p: pid, b: [] }, admin);
    expect(codeOf(await stack.gql('{ roles { id } }', {}, token))).toBe('RBAC_BINDING_NOT_FOUND');
  });

  it('token narrowing can only shrink what bindings grant', async () => {
    const pid = `narrow-${randomUUID().slice(0, 6)}`;
    const full = await principalWith(stack, pid, [{ permissions: ['policy:roles:read', 'audit:read'] }]);
    const issue = 'mutation($i: IssueTokenInput!) { issueToken(input: $i) { token permissions expiresIn } }';
    const narrowed = await stack.gql(issue, { i: { principalId: pid, ttlSeconds: 120, permissions: ['audit.read'] } }, full);
    expect(narrowed.data.issueToken).toMatchObject({ permissions: ['audit:read'], expiresIn: 120 });
    const t = narrowed.data.issueToken.token;
    expect((await stack.gql('{ verifyAuditChain { valid } }', {}, t)).data.verifyAuditChain.valid).toBe(true);
    expect(codeOf(await stack.gql('{ roles { id } }', {}, t))).toBe('RBAC_PERMISSION_DENIED');
    const me = await stack.gql('{ me { effectivePermissions tokenPermissions } }', {}, t);
    expect(me.data.me).toEqual({ effectivePermissions: ['audit:read'], tokenPermissions: ['audit:read'] });
    // Widening: beyond the bindings, and beyond the caller's own narrowed token.
    expect(codeOf(await stack.gql(issue, { i: { principalId: pid, permissions: ['secrets:read'] } }, full))).toBe('RBAC_NARROWING_EXCEEDS_GRANT');
    expect(codeOf(await stack.gql(issue, { i: { principalId: pid, permissions: ['policy:roles:read'] } }, t))).toBe('RBAC_NARROWING_EXCEEDS_GRANT');
    for (const ttl of [59, 86_401]) expect(codeOf(await stack.gql(issue, { i: { principalId: pid, ttlSeconds: ttl } }, admin))).toBe('BAD_USER_INPUT');
    // Minting for someone else needs policy:tokens:issue.
    expect(codeOf(await stack.gql(issue, { i: { principalId: 'admin' } }, full))).toBe('RBAC_PERMISSION_DENIED');
  });

  it('every mutation is audited in a hash chain that verifies', async () => {
    const events = await stack.gql('{ auditEvents(first: 500) { seq action prevHash eventHash } }', {}, admin);
    const list = events.data.auditEvents;
    expect(list.length).toBeGreaterThan(5);
    expect(list[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < list.length; i++) {
      expect(list[i].seq).toBe(list[i - 1].seq + 1);
      expect(list[i].prevHash).toBe(list[i - 1].eventHash);
    }
    const actions = new Set(list.map((e: { action: string }) => e.action));
    for (const a of ['rbac.bootstrap', 'rbac.principal_upsert', 'rbac.role_upsert', 'rbac.binding_set', 'token.issue']) expect(actions).toContain(a);
    expect((await stack.gql('{ verifyAuditChain { valid checked } }', {}, admin)).data.verifyAuditChain).toEqual({ valid: true, checked: list.length });
    // Tampering with a stored event is detected.
    const c = new pg.Client({ connectionString: stack.databaseUrl });
    await c.connect();
    await c.query(`UPDATE audit.events SET details = '{"forged":true}' WHERE chain = 'policy' AND seq = 2`);
    await c.end();
    expect((await stack.gql('{ verifyAuditChain { valid firstInvalidSeq reason } }', {}, admin)).data.verifyAuditChain).toMatchObject({ valid: false, firstInvalidSeq: 2 });
  });
});

describe('two processes sharing PostgreSQL and Redis', () => {
  it('a binding change made through one is visible through the other on the next request', async () => {
    if (!process.env.REDIS_URL) throw new Error('this test needs REDIS_URL: the in-process bus cannot reach another process');
    const a = await startStack({ busPrefix: `shared${randomUUID().slice(0, 6)}` });
    const { config } = a.platform.runtime;
    // A second, real platform process on the same database, Redis prefix and keys.
    const b = await startProcess(process.execPath, [path.join(ROOT, 'packages/cli/dist/talos.js'), 'start'], {
      ...process.env,
      TALOS_ENV: 'test',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: a.databaseUrl,
      TALOS_BUS_PREFIX: config.busPrefix,
      TALOS_STATE_DIR: config.stateDir,
      PORT: '0',
      TALOS_SUBGRAPH_BASE_PORT: '0',
      TALOS_KEK_TEST1: TEST_KEK,
      TALOS_CURRENT_KEK_ID: 'test1',
    });
    try {
      const pid = `xproc-${randomUUID().slice(0, 6)}`;
      const token = await principalWith(a, pid, [{ permissions: ['policy:roles:read'] }]);
      const viaB = () => post(b.gatewayUrl, { query: '{ roles { id } }' }, { authorization: `Bearer ${token}` });
      expect((await viaB()).errors).toBeUndefined(); // now cached in process b
      await a.gql(SET_BINDINGS, { p: pid, b: [] }, a.adminToken);
      // The change travels over Redis; poll briefly for its delivery.
      let code: unknown;
      for (let i = 0; i < 50 && code === undefined; i++) {
        code = codeOf(await viaB());
        if (code === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      expect(code).toBe('RBAC_BINDING_NOT_FOUND');
    } finally {
      process.kill(-b.child.pid!, 'SIGTERM');
      await b.exited;
      await a.stop();
    }
  }, 60_000);
});

describe('token revocation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('a revoked token is refused on its next request and loses its WebSockets; the revocation survives restarts', async () => {
    const pid = `rev-${randomUUID().slice(0, 6)}`;
    const token = await principalWith(stack, pid, [{ permissions: ['policy:roles:read', 'audit:read'] }]);
    const listed = await stack.gql('query($p: ID!) { issuedTokens(principalId: $p) { tokenId revokedAt } }', { p: pid }, token);
    const tokenId = listed.data.issuedTokens[0].tokenId;
    expect(listed.data.issuedTokens[0].revokedAt).toBeNull();

    // Someone without policy:tokens:revoke cannot revoke it (and cannot tell it exists).
    const other = await principalWith(stack, `other-${randomUUID().slice(0, 6)}`, [{ permissions: ['audit:read'] }]);
    expect(codeOf(await stack.gql('mutation($t: ID!) { revokeToken(tokenId: $t) { tokenId } }', { t: tokenId }, other))).toBe('NOT_FOUND');

    const client = stack.ws(token);
    let closeCode: number | undefined;
    client.on('closed', (e) => (closeCode = (e as { code: number }).code));
    // A live subscription keeps the socket open (the first event proves it is established).
    let live = false;
    client.subscribe({ query: 'subscription { auditEvents(chain: "policy") { seq } }' }, { next: () => (live = true), error: () => undefined, complete: () => undefined });
    for (let i = 0; i < 50 && !live; i++) {
      await stack.gql('mutation { upsertPrincipal(input: { id: "rev-trigger" }) { id } }', {}, stack.adminToken);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(live).toBe(true);

    const revoked = await stack.gql('mutation($t: ID!) { revokeToken(tokenId: $t) { tokenId revokedAt } }', { t: tokenId }, token);
    expect(revoked.data.revokeToken.revokedAt).toEqual(expect.any(String));
    const refused = await stack.gql('{ roles { id } }', {}, token);
    expect({ status: refused.status, code: codeOf(refused) }).toEqual({ status: 401, code: 'AUTH_REVOKED' });
    for (let i = 0; i < 50 && closeCode === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    expect(closeCode).toBe(4401);

    // A gateway that starts later loads the revocation from the database.
    const { RevocationList } = await import('@talos/kit');
    const fresh = new RevocationList();
    await fresh.start(stack.platform.runtime.db.write, stack.platform.runtime.bus);
    expect(fresh.isRevoked(tokenId)).toBe(true);
    await fresh.close();

    const events = await stack.gql('{ auditEvents(first: 500) { action resourceId } }', {}, stack.adminToken);
    expect(events.data.auditEvents).toContainEqual({ action: 'token.revoke', resourceId: tokenId });
  });
});
