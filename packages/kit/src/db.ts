// The one DB path: a Prisma client over node-postgres when DATABASE_URL is set (plus an optional
// read replica), otherwise an embedded PGlite database under the state dir, migrated on open with
// the same SQL migrations `prisma migrate deploy` applies.
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './__generated__/prisma/client';
import type { Config } from './config';
import type { Logger } from './logger';

export { PrismaClient };
export type { Prisma } from './__generated__/prisma/client';

export interface Database {
  /** Primary: every write and every read that must see its own writes. */
  write: PrismaClient;
  /** Replica when DATABASE_READ_URL is set, else the primary. */
  read: PrismaClient;
  embedded: boolean;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** prisma/migrations, found from this file in src/ or dist/ (both three levels below the repo). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../prisma/migrations');

function pgClient(url: string, poolSize: number): { client: PrismaClient; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's error (e.g. the server restarted) must not crash the process.
  pool.on('error', () => undefined);
  return { client: new PrismaClient({ adapter: new PrismaPg(pool) }), pool };
}

interface PGliteLike {
  exec(sql: string): Promise<unknown>;
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  close(): Promise<void>;
}

/** Applies prisma/migrations/<name>/migration.sql in order, once each, recorded in a ledger table. */
async function migrateEmbedded(db: PGliteLike, logger: Logger): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS public._talos_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied = new Set((await db.query<{ name: string }>('SELECT name FROM public._talos_migrations')).rows.map((r) => r.name));
  const names = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const name of names) {
    if (applied.has(name)) continue;
    const sql = readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8');
    await db.exec(`BEGIN;\n${sql}\nINSERT INTO public._talos_migrations(name) VALUES ('${name.replace(/'/g, "''")}');\nCOMMIT;`);
    logger.info({ migration: name }, 'embedded database migrated');
  }
}

async function openEmbedded(config: Config, logger: Logger): Promise<Database> {
  // Loaded lazily: production never pays for the embedded engine.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PrismaPGlite } = await import('pglite-prisma-adapter');
  const dataDir = path.join(config.stateDir, 'pgdata');
  mkdirSync(dataDir, { recursive: true });
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  const pglite = new PGlite(dataDir);
  await pglite.waitReady;
  if (fresh) logger.info({ dataDir }, 'created embedded PostgreSQL (PGlite)');
  await migrateEmbedded(pglite as unknown as PGliteLike, logger);
  // pglite-prisma-adapter ships its own copy of the driver-adapter types; the runtime contract is the same.
  const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) as unknown as PrismaPg });
  return {
    write: client,
    read: client,
    embedded: true,
    ping: async () => {
      await pglite.query('SELECT 1');
      return true;
    },
    close: async () => {
      await client.$disconnect();
      await pglite.close();
    },
  };
}

export async function openDatabase(config: Config, logger: Logger, opts: { poolSize?: number } = {}): Promise<Database> {
  if (!config.databaseUrl) return openEmbedded(config, logger);
  const poolSize = opts.poolSize ?? 10;
  const primary = pgClient(config.databaseUrl, poolSize);
  const replica = config.databaseReadUrl ? pgClient(config.databaseReadUrl, poolSize) : undefined;
  return {
    write: primary.client,
    read: replica?.client ?? primary.client,
    embedded: false,
    ping: async () => {
      await primary.pool.query('SELECT 1');
      if (replica) await replica.pool.query('SELECT 1');
      return true;
    },
    close: async () => {
      await primary.client.$disconnect();
      await primary.pool.end();
      if (replica) {
        await replica.client.$disconnect();
        await replica.pool.end();
      }
    },
  };
}
