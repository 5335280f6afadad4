// Secrets through the gateway (issue 4): metadata vs reveal permissions, audited reveals, the
// envelope_v1 vector through the store path, legacy name-bound AAD, and federation with policy
// (Secret.createdBy, a rotationProgress subscription whose events carry a policy-owned field).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { KekRing, seal } from '@talos/subgraph-secrets';
import { encryptEnvelope } from '@talos/protocol';
import { ROOT, startStack, principalWith, codeOf, type Stack } from '../src/harness';

const vector = JSON.parse(readFileSync(path.join(ROOT, 'test/vectors/talos/secrets/envelope_v1.json'), 'utf8'))[0];
const SECRET_FIELDS = 'id name kekId version createdAt updatedAt rotatedAt';
const PLAINTEXTS = ['sk-live-0123456789abcdef', 'rotated-value-fedcba9876543210', vector.plaintext_utf8, 'legacy-plaintext-4242'];

describe('secrets subgraph through the gateway', () => {
  let stack: Stack;
  let db: pg.Client;
  const responses: string[] = [];
  const gql = async (q: string, v?: Record<string, unknown>, token?: string) => {
    const r = await stack.gql(q, v, token ?? stack.adminToken);
    responses.push(JSON.stringify(r));
    return r;
  };

  beforeAll(async () => {
    stack = await startStack({
      env: { TALOS_KEK_V1: vector.kek_b64u, TALOS_KEK_TEST2: Buffer.alloc(32, 9).toString('base64url'), TALOS_ROTATION_BATCH_SIZE: '2', TALOS_ROTATION_THROTTLE_MS: '100', TALOS_ROTATION_POLL_MS: '100' },
    });
    db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('puts, lists and reads metadata, never the value', async () => {
    const put = await gql(`mutation { putSecret(name: "openai-key", value: "${PLAINTEXTS[0]}") { ${SECRET_FIELDS} } }`);
    expect(put.errors).toBeUndefined();
    expect(put.data.putSecret).toMatchObject({ name: 'openai-key', kekId: 'test1', version: 1, rotatedAt: null });
    const again = await gql(`mutation { putSecret(name: "openai-key", value: "${PLAINTEXTS[1]}") { id version rotatedAt } }`);
    expect(again.data.putSecret).toMatchObject({ id: put.data.putSecret.id, version: 2 });
    expect(again.data.putSecret.rotatedAt).not.toBeNull();
    const list = await gql(`{ secrets(first: 10) { items { name version kekId } nextCursor } secret(name: "openai-key") { id } kekStatus { currentKekId loadedKekIds counts { kekId count loaded current } } }`);
    expect(list.data.secrets).toEqual({ items: [{ name: 'openai-key', version: 2, kekId: 'test1' }], nextCursor: null });
    expect(list.data.kekStatus.currentKekId).toBe('test1');
    expect(list.data.kekStatus.loadedKekIds).toEqual(['test1', 'test2', 'v1']);
    expect(list.data.kekStatus.counts).toContainEqual({ kekId: 'test1', count: 1, loaded: true, current: true });
    // The row binds the id, not the name.
    const row = (await db.query('SELECT aad FROM secrets.secrets WHERE name = $1', ['openai-key'])).rows[0];
    expect(Buffer.from(row.aad, 'base64url').toString()).toBe(`talos.secret.v1:${put.data.putSecret.id}`);
  });

  it('paginates by name and refuses bad input without storing anything', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) expect((await gql(`mutation { putSecret(name: "${n}", value: "x") { id } }`)).errors).toBeUndefined();
    const p1 = await gql('{ secrets(first: 2, after: "openai-key") { items { name } nextCursor } }');
    expect(p1.data.secrets).toEqual({ items: [{ name: 'page-a' }, { name: 'page-b' }], nextCursor: 'page-b' });
    const p2 = await gql('{ secrets(first: 2, after: "page-b") { items { name } nextCursor } }');
    expect(p2.data.secrets).toEqual({ items: [{ name: 'page-c' }], nextCursor: null });
    expect(codeOf(await gql('mutation { putSecret(name: "bad name!", value: "x") { id } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql('mutation { deleteSecret(name: "missing") { id } }'))).toBe('NOT_FOUND');
    const del = await gql('mutation { deleteSecret(name: "page-c") { name } }');
    expect(del.data.deleteSecret).toEqual({ name: 'page-c' });
  });

  it('envelope_v1 vector: the store path seals to the vector bytes and reveals a stored vector row', async () => {
    const ring = new KekRing('v1', new Map([['v1', Buffer.from(vector.kek_b64u, 'base64url')]]));
    const sealed = seal(ring, 'test-id-123', vector.plaintext_utf8, 'v1', Buffer.from(vector.nonce_b64u, 'base64url'));
    expect(sealed).toEqual({ kekId: 'v1', nonce: vector.envelope.nonce_b64u, ciphertext: vector.envelope.ciphertext_b64u, tag: vector.envelope.tag_b64u, aad: vector.envelope.aad_b64u });
    const e = vector.envelope;
    await db.query(
      `INSERT INTO secrets.secrets (id, name, ciphertext, nonce, tag, aad, kek_id, created_by, updated_at) VALUES ('test-id-123', 'vector-secret', $1, $2, $3, $4, $5, 'admin', now())`,
      [e.ciphertext_b64u, e.nonce_b64u, e.tag_b64u, e.aad_b64u, e.kek_id],
    );
    const r = await gql('mutation { revealSecret(name: "vector-secret") { name value kekId version } }');
    expect(r.data.revealSecret).toEqual({ name: 'vector-secret', value: vector.plaintext_utf8, kekId: 'v1', version: 1 });
  });

  it('reads legacy name-bound rows, and a tampered row fails with DECRYPT_FAILED', async () => {
    const kek = Buffer.alloc(32, 7);
    const legacy = encryptEnvelope({ kekId: 'test1', kek, plaintext: PLAINTEXTS[3], aad: 'legacy-secret' });
    await db.query(
      `INSERT INTO secrets.secrets (id, name, ciphertext, nonce, tag, aad, kek_id, created_by, updated_at) VALUES ('0190a000-0000-7000-8000-000000000001', 'legacy-secret', $1, $2, $3, NULL, 'test1', 'admin', now())`,
      [legacy.ciphertext_b64u, legacy.nonce_b64u, legacy.tag_b64u],
    );
    const r = await gql('mutation { revealSecret(name: "legacy-secret") { value } }');
    expect(r.data.revealSecret.value).toBe(PLAINTEXTS[3]);
    await db.query(`UPDATE secrets.secrets SET tag = $1 WHERE name = 'page-a'`, [Buffer.alloc(16).toString('base64url')]);
    const broken = await gql('mutation { revealSecret(name: "page-a") { value } }');
    expect(codeOf(broken)).toBe('DECRYPT_FAILED');
  });

  it('metadata readers cannot reveal; scoped reveal works only for its secret; reveals are audited', async () => {
    const reader = await principalWith(stack, 'secret-reader', [{ permissions: ['secrets:read'] }]);
    const meta = await gql('{ secret(name: "openai-key") { name kekId } }', {}, reader);
    expect(meta.data.secret).toEqual({ name: 'openai-key', kekId: 'test1' });
    expect(codeOf(await gql('mutation { revealSecret(name: "openai-key") { value } }', {}, reader))).toBe('RBAC_PERMISSION_DENIED');
    expect(codeOf(await gql('mutation { putSecret(name: "openai-key", value: "nope") { id } }', {}, reader))).toBe('RBAC_PERMISSION_DENIED');

    const agent = await principalWith(stack, 'agent-7', [{ permissions: ['secrets:reveal'], scope: { type: 'SECRET', attributes: [{ key: 'name', value: 'openai-key' }] } }]);
    const ok = await gql('mutation { revealSecret(name: "openai-key") { value version } }', {}, agent);
    expect(ok.data.revealSecret).toEqual({ value: PLAINTEXTS[1], version: 2 });
    expect(codeOf(await gql('mutation { revealSecret(name: "page-a") { value } }', {}, agent))).toBe('RBAC_SCOPE_MISMATCH');

    const audit = await gql('{ auditEvents(chain: "secrets", first: 100) { action principalId resourceId status details } verifyAuditChain(chain: "secrets") { valid checked } }');
    const reveals = audit.data.auditEvents.filter((e: { action: string }) => e.action === 'secrets.secret_reveal');
    expect(reveals).toContainEqual(expect.objectContaining({ principalId: 'agent-7', status: 'success', details: expect.objectContaining({ name: 'openai-key', version: 2 }) }));
    expect(reveals).toContainEqual(expect.objectContaining({ principalId: 'admin', status: 'failure', details: expect.objectContaining({ name: 'page-a', error: 'DECRYPT_FAILED' }) }));
    expect(audit.data.verifyAuditChain.valid).toBe(true);
  });

  it('federation: Secret.createdBy joins roles from the policy subgraph', async () => {
    const r = await gql('{ secret(name: "openai-key") { name createdBy { id type roles { name } } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data.secret.createdBy).toEqual({ id: 'admin', type: expect.any(String), roles: [{ name: 'admin' }] });
  });

  it('federation: rotationProgress through the gateway carries startedBy from policy, and the rotation rewraps every secret', async () => {
    const start = await gql('mutation { startRotation(targetKekId: "test2") { id status targetKekId } }');
    expect(start.errors).toBeUndefined();
    const id = start.data.startRotation.id;
    const twice = await gql('mutation { startRotation(targetKekId: "test2") { id } }');
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'ROTATION_ALREADY_RUNNING', details: { operationId: id } });
    expect(codeOf(await gql('mutation { startRotation(targetKekId: "nope") { id } }'))).toBe('KEK_NOT_LOADED');
    const client = stack.ws(stack.adminToken);
    const events: any[] = [];
    for await (const e of client.iterate({ query: `subscription { rotationProgress(id: "${id}") { id status batches scanned rotated failed startedBy { id type } } }` })) {
      events.push(e);
      if ((e.data as any)?.rotationProgress.status !== 'RUNNING') break;
    }
    expect(events.every((e) => !e.errors)).toBe(true);
    const last = events[events.length - 1].data.rotationProgress;
    expect(last).toMatchObject({ id, status: 'COMPLETED', startedBy: { id: 'admin', type: expect.any(String) } });
    // The tampered row cannot be decrypted: counted and reported, the run still completes.
    expect(last.failed).toBe(1);
    const op = await gql(`{ rotation(id: "${id}") { status lastError rotated skipped } kekStatus { counts { kekId count } } }`);
    expect(op.data.rotation.lastError).toContain('page-a: DECRYPT_FAILED');
    expect(op.data.kekStatus.counts).toContainEqual({ kekId: 'test1', count: 1 });
    expect(op.data.kekStatus.counts).toContainEqual({ kekId: 'v1', count: 0 });
    const reveal = await gql('mutation { revealSecret(name: "openai-key") { value kekId version } }');
    expect(reveal.data.revealSecret).toEqual({ value: PLAINTEXTS[1], kekId: 'test2', version: 3 });
    const vectorRow = await gql('mutation { revealSecret(name: "vector-secret") { value kekId } }');
    expect(vectorRow.data.revealSecret).toEqual({ value: vector.plaintext_utf8, kekId: 'test2' });
  });

  it('plaintext never appears in audit rows, error responses or metrics', async () => {
    const audit = (await db.query('SELECT details::text AS d, action FROM audit.events')).rows.map((r) => `${r.action} ${r.d}`).join('\n');
    const metrics = (await Promise.all(stack.platform.subgraphs.map((s) => fetch(s.url.replace(/graphql$/, 'metrics')).then((r) => r.text())))).join('\n');
    const errors = responses.filter((r) => r.includes('"errors"')).join('\n');
    for (const p of PLAINTEXTS) {
      expect({ p, inAudit: audit.includes(p) }).toEqual({ p, inAudit: false });
      expect({ p, inMetrics: metrics.includes(p) }).toEqual({ p, inMetrics: false });
      expect({ p, inErrors: errors.includes(p) }).toEqual({ p, inErrors: false });
    }
    expect(audit).toContain('secrets.secret_reveal');
  });
});
