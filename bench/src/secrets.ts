// Secrets: envelope encrypt/decrypt of 1 KiB through the store path (seal/open, the functions the
// vault and the rotation worker use), and rotation throughput on PostgreSQL (10,000 secrets,
// several batch sizes, throttle 0) through the worker's own batch transaction.
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, openRuntime, MIGRATIONS_DIR, type Runtime } from '@talos/kit';
import { uuidv7 } from '@talos/protocol';
import { KekRing, open, seal, RotationWorker, startRotation, SecretStore } from '@talos/subgraph-secrets';
import { measureSync, type BenchRow } from './harness';

const SUITE = 'secrets';
const SECRETS = Number(process.env.BENCH_SECRETS ?? 10_000);
const BATCH_SIZES = [50, 200, 1000];
const K1 = randomBytes(32);
const K2 = randomBytes(32);

function envelopeRows(): BenchRow[] {
  const ring = new KekRing('k1', new Map([['k1', K1]]));
  const value = randomBytes(512).toString('hex'); // 1 KiB of UTF-8
  const id = uuidv7();
  const row = { id, name: 'bench', ...seal(ring, id, value) };
  const enc = measureSync(() => seal(ring, id, value));
  const dec = measureSync(() => open(ring, row));
  return [
    { suite: SUITE, name: 'envelope encrypt 1 KiB (seal)', opsPerSec: enc, note: 'AES-256-GCM, random nonce, AAD talos.secret.v1:<id>, b64u columns' },
    { suite: SUITE, name: 'envelope decrypt 1 KiB (open)', opsPerSec: dec, note: 'id-bound AAD checked first (legacy name fallback only on DECRYPT_FAILED)' },
  ];
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function rotationRows(baseUrl: string): Promise<BenchRow[]> {
  const name = `talos_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDatabase(baseUrl, name);
  const sql = new pg.Client({ connectionString: url });
  let runtime: Runtime | undefined;
  try {
    await sql.connect();
    for (const m of readdirSync(MIGRATIONS_DIR).sort()) {
      if (!m.endsWith('.toml')) await sql.query(readFileSync(path.join(MIGRATIONS_DIR, m, 'migration.sql'), 'utf8'));
    }
    const ring = new KekRing('k1', new Map([['k1', K1], ['k2', K2]]));
    for (let start = 0; start < SECRETS; start += 1000) {
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let i = start; i < Math.min(SECRETS, start + 1000); i++) {
        const id = uuidv7();
        const e = seal(ring, id, randomBytes(32).toString('hex'));
        const b = values.length;
        tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, 'k1', 'bench', now())`);
        values.push(id, `bench-${String(i).padStart(6, '0')}`, e.ciphertext, e.nonce, e.tag, e.aad);
      }
      await sql.query(`INSERT INTO secrets.secrets (id, name, ciphertext, nonce, tag, aad, kek_id, created_by, updated_at) VALUES ${tuples.join(',')}`, values);
    }
    const config = loadConfig({ TALOS_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: url, TALOS_BUS_PREFIX: `bench${process.pid}`, TALOS_ROTATION_THROTTLE_MS: '0' });
    runtime = await openRuntime(config);
    const rows: BenchRow[] = [];
    let target = 'k2';
    for (const batchSize of BATCH_SIZES) {
      const tuned: Runtime = { ...runtime, config: { ...config, secrets: { ...config.secrets, rotationBatchSize: batchSize, rotationThrottleMs: 0 } } };
      const worker = new RotationWorker(tuned, ring);
      const op = await startRotation(tuned, ring, { principal: { id: 'bench' } as never, requestId: 'bench' }, target);
      const t0 = performance.now();
      for (;;) {
        await worker.runBatch();
        const state = await SecretStore.rotation(runtime.db.write, op.id);
        if (state!.status !== 'running') {
          if (state!.rotated !== SECRETS || state!.failed !== 0) throw new Error(`rotation bench: rotated ${state!.rotated}, failed ${state!.failed}`);
          break;
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ suite: SUITE, name: `rotation ${SECRETS} secrets, batch ${batchSize} (secrets/s)`, opsPerSec: SECRETS / seconds, note: `${(seconds * 1000).toFixed(0)} ms total, throttle 0; one tx per batch: decrypt, re-seal, one CAS UPDATE for the batch, cursor+stats committed` });
      target = target === 'k2' ? 'k1' : 'k2';
    }
    return rows;
  } finally {
    await runtime?.close();
    await sql.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

export async function run(): Promise<BenchRow[]> {
  const rows = envelopeRows();
  const url = process.env.DATABASE_URL;
  if (!url) rows.push({ suite: SUITE, name: 'rotation throughput', opsPerSec: 0, note: 'skipped: set DATABASE_URL to a PostgreSQL server (a scratch database is created and dropped)' });
  else rows.push(...(await rotationRows(url)));
  return rows;
}
