// Prisma CLI configuration: the JS schema engine over node-postgres, so `migrate deploy`/`migrate
// diff` work without downloading engine binaries (see STACK.md "Prisma 6.19.3 without engine
// downloads"). Runtime queries do not use this file.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

// Catalog types the stock adapter cannot deserialise during migrate ("Column type 'name' could
// not be deserialized"): report them as text.
const CATALOG_TEXT_TYPES = new Set([18 /* "char" */, 19 /* name */]);
const TEXT_OID = 25;

class CatalogSafePool extends pg.Pool {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    if (!result || typeof result.then !== 'function') return result;
    return result.then((res: pg.QueryResult) => {
      for (const field of res?.fields ?? []) {
        if (CATALOG_TEXT_TYPES.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
      }
      return res;
    });
  }
}

function requireUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must be set for Prisma CLI commands (e.g. postgresql://localhost:5432/talos)');
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly url: string) {
    super(new CatalogSafePool({ connectionString: url, allowExitOnIdle: true }));
  }

  // The stock shadow database keeps the main connectionString (which wins over `database` in
  // node-postgres), so it would migrate the main database. Create and drop a real temporary one.
  override async connectToShadowDb() {
    const explicit = process.env.SHADOW_DATABASE_URL;
    if (explicit) return new PrismaPg(new CatalogSafePool({ connectionString: explicit, allowExitOnIdle: true })).connect();
    const name = `talos_shadow_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: this.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const adapter = await new PrismaPg(
      new CatalogSafePool({ connectionString: withDatabase(this.url, name), allowExitOnIdle: true }),
      { disposeExternalPool: true },
    ).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      const cleanup = new pg.Client({ connectionString: this.url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    };
    return adapter;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new MigrationAdapterFactory(requireUrl()),
});
