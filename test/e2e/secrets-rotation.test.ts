// Rotation across processes (issue 4): two real `talos start --service=secrets` processes on one
// database elect one leader, a kill -9 of the leader mid-run hands over to the other, which resumes
// from the committed cursor; putSecret during the run loses nothing; every row ends on the target KEK.
// Also: the secrets service refuses to start on each bad KEK configuration, naming the variable.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { generateKeyEnv, loadConfig, openRuntime } from '@talos/kit';
import { KekRing, loadKekRing, open, RotationWorker, seal, SecretStore, SecretVault, startRotation } from '@talos/subgraph-secrets';
import { uuidv7 } from '@talos/protocol';
import { ROOT, createTestDatabase, startStack, type Stack, type TestDatabase } from '../src/harness';

const CLI = path.join(ROOT, 'packages/cli/dist/talos.js');
const K1 = Buffer.alloc(32, 1);
const K2 = Buffer.alloc(32, 2);
const SECRETS = 2000;

interface SecretsProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves with the service URL once it listens. */
  ready: Promise<string>;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _d, DATABASE_READ_URL: _r, ...rest } = process.env;
  return { ...rest, TALOS_ENV: 'test', NODE_ENV: 'test', PORT: '0', TALOS_SHUTDOWN_TIMEOUT_MS: '2000', ...extra };
}

function spawnSecrets(env: NodeJS.ProcessEnv): SecretsProcess {
  const child = spawn(process.execPath, [CLI, 'start', '--service=secrets'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`secrets did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"subgraph":"secrets","url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`secrets exited with ${code}:\n${out}`));
    });
  });
  ready.catch(() => undefined);
  return { child, output: () => out, exited, ready };
}

describe('secrets service startup', () => {
  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['no current KEK', { TALOS_KEK_K1: K1.toString('base64url') }, /TALOS_CURRENT_KEK_ID: is required by the secrets service/],
    ['current KEK not loaded', { TALOS_KEK_K1: K1.toString('base64url'), TALOS_CURRENT_KEK_ID: 'k2' }, /TALOS_CURRENT_KEK_ID: names KEK "k2" but TALOS_KEK_k2 is not set/],
    ['KEK of 31 bytes', { TALOS_KEK_K1: Buffer.alloc(31, 1).toString('base64url'), TALOS_CURRENT_KEK_ID: 'k1' }, /TALOS_KEK_K1: must be unpadded base64url of exactly 32 bytes/],
    ['padded KEK', { TALOS_KEK_K1: `${K1.toString('base64')}`, TALOS_CURRENT_KEK_ID: 'k1' }, /TALOS_KEK_K1: must be unpadded base64url of exactly 32 bytes/],
    ['KEK that is not base64url', { TALOS_KEK_K1: '!'.repeat(43), TALOS_CURRENT_KEK_ID: 'k1' }, /TALOS_KEK_K1: must be unpadded base64url of exactly 32 bytes/],
    ['bad KEK id', { 'TALOS_KEK_K.1': K1.toString('base64url'), TALOS_CURRENT_KEK_ID: 'k1' }, /TALOS_KEK_K\.1: KEK id must match/],
    ['bad current id', { TALOS_KEK_K1: K1.toString('base64url'), TALOS_CURRENT_KEK_ID: 'K 1' }, /TALOS_CURRENT_KEK_ID: must match/],
  ];
  let keys: Record<string, string>;
  beforeAll(async () => {
    keys = await generateKeyEnv();
  });

  it.each(bad)('refuses to start with %s, naming the variable', async (_name, kekEnv, message) => {
    // Production mode: never a generated KEK. The database is never reached: the check is eager.
    const p = spawnSecrets(baseEnv({ TALOS_ENV: 'production', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', TALOS_ASSERTION_PUBLIC_KEY: keys.TALOS_ASSERTION_PUBLIC_KEY, ...kekEnv }));
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(message);
  });
});

describe('rotation with two secrets processes on one database', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  let stack: Stack;
  const procs: SecretsProcess[] = [];
  const plaintexts = new Map<string, string>();

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await stack?.stop();
    await sql?.end();
    await db?.drop();
  });

  it('elects one leader, survives kill -9 of the leader, loses no concurrent write and rewraps every row', async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    // 2,000 secrets under k1, written straight to the table in the stored envelope format.
    const k1 = new KekRing('k1', new Map([['k1', K1]]));
    for (let start = 0; start < SECRETS; start += 500) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let i = start; i < start + 500; i++) {
        const id = uuidv7();
        const name = `s-${String(i).padStart(5, '0')}`;
        const value = `plain-${i}-${randomUUID()}`;
        plaintexts.set(name, value);
        const e = seal(k1, id, value);
        const b = values.length;
        rows.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, 'k1', 'admin', now())`);
        values.push(id, name, e.ciphertext, e.nonce, e.tag, e.aad);
      }
      await sql.query(`INSERT INTO secrets.secrets (id, name, ciphertext, nonce, tag, aad, kek_id, created_by, updated_at) VALUES ${rows.join(',')}`, values);
    }

    const keys = await generateKeyEnv();
    const busPrefix = `rot${randomUUID().slice(0, 8)}`;
    const env = baseEnv({
      ...keys,
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL ?? '',
      TALOS_BUS_PREFIX: busPrefix,
      LOG_LEVEL: 'debug',
      TALOS_KEK_K1: K1.toString('base64url'),
      TALOS_KEK_K2: K2.toString('base64url'),
      TALOS_CURRENT_KEK_ID: 'k2',
      TALOS_ROTATION_BATCH_SIZE: '40',
      TALOS_ROTATION_THROTTLE_MS: '60',
      TALOS_ROTATION_POLL_MS: '150',
      TALOS_ROTATION_LEASE_MS: '1500',
    });
    const a = spawnSecrets(env);
    const b = spawnSecrets(env);
    procs.push(a, b);
    const [urlA] = await Promise.all([a.ready, b.ready]);
    // Gateway and policy in this process; secrets traffic goes to process A. This process's own
    // secrets service has only the test KEK, so its worker never leads a rotation to k2.
    stack = await startStack({ database: db, busPrefix, env: { ...keys, TALOS_SUBGRAPH_SECRETS_URL: urlA } });

    const started = await stack.gql('mutation { startRotation(targetKekId: "k2") { id status } }', {}, stack.adminToken);
    expect(started.errors).toBeUndefined();
    const opId = started.data.startRotation.id;
    const op = async () => (await sql.query('SELECT * FROM secrets.rotation_operations WHERE id = $1', [opId])).rows[0];

    // Concurrent writes while the rotation runs: each must survive (the write wins the CAS).
    for (let i = 0; i < 40; i++) {
      const name = `s-${String(i * 50 + 7).padStart(5, '0')}`;
      const value = `rewritten-${i}-${randomUUID()}`;
      const r = await stack.gql('mutation($n: String!, $v: String!) { putSecret(name: $n, value: $v) { version } }', { n: name, v: value }, stack.adminToken);
      expect(r.errors).toBeUndefined();
      plaintexts.set(name, value);
    }

    // One leader so far: batches are being committed by a single worker.
    let state = await op();
    for (let i = 0; i < 200 && state.batches < 10; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = await op();
    }
    expect(state.status).toBe('running');
    expect(state.takeovers).toBe(0);
    const leaderPid = Number(state.leader_id.split(':')[1]);
    const leader = procs.find((p) => p.child.pid === leaderPid)!;
    const survivor = procs.find((p) => p !== leader)!;
    expect(leader).toBeDefined();
    const cursorAtKill = state.cursor;
    leader.child.kill('SIGKILL');
    await leader.exited;

    for (let i = 0; i < 600 && state.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await op();
    }
    expect(state).toMatchObject({ status: 'completed', failed: 0, takeovers: 1, last_error: null });
    expect(state.leader_id.split(':')[1]).toBe(String(survivor.child.pid));
    expect(state.cursor > cursorAtKill).toBe(true);
    expect(state.scanned).toBeGreaterThanOrEqual(SECRETS);

    // Every row on k2 and decryptable there (k2 only) to the latest value.
    const k2 = new KekRing('k2', new Map([['k2', K2]]));
    const rows = (await sql.query('SELECT * FROM secrets.secrets')).rows;
    expect(rows).toHaveLength(SECRETS);
    let failures = 0;
    for (const r of rows) {
      expect(r.kek_id).toBe('k2');
      try {
        const value = open(k2, { id: r.id, name: r.name, kekId: r.kek_id, nonce: r.nonce, ciphertext: r.ciphertext, tag: r.tag, aad: r.aad }).toString();
        if (value !== plaintexts.get(r.name)) failures++;
      } catch {
        failures++;
      }
    }
    expect(failures).toBe(0);

    const audit = (await sql.query(`SELECT action, details FROM audit.events WHERE chain = 'secrets' AND resource_id = $1 ORDER BY seq`, [opId])).rows;
    expect(audit.map((e) => e.action)).toEqual(['secrets.rotation_start', 'secrets.rotation_claim', 'secrets.rotation_takeover', 'secrets.rotation_complete']);
    expect(audit[1].details.worker_id.split(':')[1]).toBe(String(leaderPid));
    expect(audit[2].details.worker_id.split(':')[1]).toBe(String(survivor.child.pid));

    // No plaintext in either process's logs (debug level), in audit rows or in the survivor's metrics.
    const logs = procs.map((p) => p.output()).join('\n');
    const auditText = (await sql.query(`SELECT details::text AS d FROM audit.events`)).rows.map((r) => r.d).join('\n');
    const metrics = await (await fetch(new URL('/metrics', await survivor.ready))).text();
    const leaked = [...plaintexts.values()].filter((v) => logs.includes(v) || auditText.includes(v) || metrics.includes(v));
    expect(leaked).toEqual([]);
    expect(logs).toContain('rotation completed');
  }, 120_000);
});

describe('rotation compare-and-swap', () => {
  it('a write that lands while a batch holds its rows wins, is counted, and its new value is re-wrapped', async () => {
    const db = await createTestDatabase();
    const config = loadConfig({
      TALOS_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      TALOS_BUS_PREFIX: `cas${randomUUID().slice(0, 8)}`,
      TALOS_KEK_K1: K1.toString('base64url'),
      TALOS_KEK_K2: K2.toString('base64url'),
      TALOS_CURRENT_KEK_ID: 'k1',
      TALOS_ROTATION_BATCH_SIZE: '10',
    });
    const runtime = await openRuntime(config);
    const writer = new pg.Client({ connectionString: db.url });
    try {
      const ring = loadKekRing(config, runtime.logger);
      const vault = new SecretVault(runtime, ring);
      const actor = { principal: { id: 'admin' } as never, requestId: 'cas-test' };
      for (let i = 0; i < 5; i++) await vault.put(actor, `c-${i}`, `old-${i}`);
      const op = await startRotation(runtime, ring, actor, 'k2');
      // Another writer changes c-2 and holds its row lock while the batch runs.
      const row = (await SecretStore.byName(runtime.db.write, 'c-2'))!;
      const fresh = seal(ring, row.id, 'new-2', 'k1');
      await writer.connect();
      await writer.query('BEGIN');
      await writer.query('UPDATE secrets.secrets SET ciphertext = $1, nonce = $2, tag = $3, aad = $4, version = version + 1 WHERE id = $5', [fresh.ciphertext, fresh.nonce, fresh.tag, fresh.aad, row.id]);
      const batch = new RotationWorker(runtime, ring).runBatch();
      await new Promise((r) => setTimeout(r, 300));
      await writer.query('COMMIT');
      expect(await batch).toBe('worked');
      expect(await SecretStore.rotation(runtime.db.write, op.id)).toMatchObject({ status: 'completed', scanned: 5, rotated: 5, conflicts: 1, failed: 0 });
      const { row: after, value } = await vault.reveal(actor, 'c-2');
      expect({ value, kekId: after.kekId, version: after.version }).toEqual({ value: 'new-2', kekId: 'k2', version: row.version + 2 });
      expect((await vault.reveal(actor, 'c-3')).value).toBe('old-3');
    } finally {
      await writer.end().catch(() => undefined);
      await runtime.close();
      await db.drop();
    }
  });
});
