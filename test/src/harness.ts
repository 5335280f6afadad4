// Whole-stack test harness: a fresh PostgreSQL database per test file (cloned from a migrated
// template), a private Redis key/channel prefix, and the real platform started in-process on
// ephemeral ports — gateway and subgraphs talk HTTP/WS over loopback exactly as in production.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { loadConfig, MIGRATIONS_DIR } from '@talos/kit';
import { startPlatform, type Platform } from '@talos/cli';

export const ROOT = path.resolve(__dirname, '../..');
/** The KEK (id `test1`) every harness stack encrypts secrets with: 32 bytes, unpadded base64url. */
export const TEST_KEK = Buffer.alloc(32, 7).toString('base64url');

export function baseDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Integration tests need PostgreSQL: set DATABASE_URL (npm test defaults it, see scripts/test.mjs)');
  return url;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Template named after the migrations' content, so an unchanged schema is migrated once. */
async function ensureTemplate(admin: pg.Client): Promise<string> {
  const hash = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS_DIR).sort()) {
    if (name.endsWith('.toml')) continue;
    hash.update(name).update(readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql')));
  }
  const template = `talos_tpl_${hash.digest('hex').slice(0, 16)}`;
  await admin.query('SELECT pg_advisory_lock(727274)');
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount) return template;
    await admin.query(`CREATE DATABASE "${template}"`);
    const c = new pg.Client({ connectionString: withDatabase(baseDatabaseUrl(), template) });
    await c.connect();
    try {
      for (const name of readdirSync(MIGRATIONS_DIR).sort()) {
        if (name.endsWith('.toml')) continue;
        await c.query(readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8'));
      }
    } finally {
      await c.end();
    }
    return template;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(727274)');
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: baseDatabaseUrl() });
  await admin.connect();
  const template = await ensureTemplate(admin);
  const name = `talos_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.end();
  return {
    url: withDatabase(baseDatabaseUrl(), name),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseDatabaseUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

export async function post<T = any>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: res.status, ...json };
}

export interface Stack {
  platform: Platform;
  gatewayUrl: string;
  adminToken: string;
  databaseUrl: string;
  /** GraphQL over HTTP through the gateway; token undefined = anonymous. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  /** A graphql-ws client on the gateway. */
  ws(token?: string): Client;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Share a database (and a state dir for keys) with another stack. */
  database?: TestDatabase;
  stateDir?: string;
  busPrefix?: string;
  env?: Record<string, string>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const database = opts.database ?? (await createTestDatabase());
  const stateDir = opts.stateDir ?? mkdtempSync(path.join(os.tmpdir(), 'talos-test-'));
  const config = loadConfig({
    TALOS_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.url,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    TALOS_BUS_PREFIX: opts.busPrefix ?? `t${randomUUID().slice(0, 8)}`,
    TALOS_STATE_DIR: stateDir,
    TALOS_SHUTDOWN_TIMEOUT_MS: '2000',
    // The secrets service refuses to start without a current KEK (test mode generates none).
    TALOS_KEK_TEST1: TEST_KEK,
    TALOS_CURRENT_KEK_ID: 'test1',
    ...opts.env,
  });
  const platform = await startPlatform({ config, ephemeralPorts: true, devToken: true });
  const gatewayUrl = platform.gateway!.url;
  const clients: Client[] = [];
  return {
    platform,
    gatewayUrl,
    adminToken: platform.devToken!,
    databaseUrl: database.url,
    gql: (query, variables, token) => post(gatewayUrl, { query, variables }, token ? { authorization: `Bearer ${token}` } : {}),
    ws: (token) => {
      const c = createClient({
        url: gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(c);
      return c;
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await platform.stop();
      if (!opts.database) await database.drop();
      if (!opts.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Creates a principal with the given bindings (role names → permissions) and returns its token. */
export async function principalWith(
  stack: Stack,
  id: string,
  grants: Array<{ permissions: string[]; scope?: { type: string; attributes?: Array<{ key: string; value: string }> } }>,
): Promise<string> {
  const admin = stack.adminToken;
  const must = async (q: string, v: Record<string, unknown>) => {
    const r = await stack.gql(q, v, admin);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data;
  };
  await must('mutation($i: PrincipalInput!) { upsertPrincipal(input: $i) { id } }', { i: { id, type: 'SERVICE_ACCOUNT' } });
  const bindings = [];
  for (const g of grants) {
    const role = await must('mutation($i: RoleInput!) { upsertRole(input: $i) { id } }', { i: { name: `r-${randomUUID().slice(0, 8)}`, permissions: g.permissions } });
    bindings.push({ roleId: role.upsertRole.id, ...(g.scope ? { scope: g.scope } : {}) });
  }
  await must('mutation($p: ID!, $b: [BindingInput!]!) { setBindings(principalId: $p, bindings: $b) { principalId } }', { p: id, b: bindings });
  const t = await must('mutation($i: IssueTokenInput!) { issueToken(input: $i) { token } }', { i: { principalId: id, ttlSeconds: 3600 } });
  return t.issueToken.token;
}

/** First error code of a response. */
export const codeOf = (r: GraphQLResponse) => r.errors?.[0]?.extensions?.code;

export interface StartedProcess {
  child: ChildProcess;
  gatewayUrl: string;
  token: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Spawns the real CLI (or `npm start`) in its own process group and resolves once it printed the
 * gateway URL (and, in development, the admin token).
 */
export function startProcess(command: string, args: string[], env: Record<string, string | undefined>): Promise<StartedProcess> {
  // Own process group, so a signal can reach npm and its children together, as Ctrl-C does.
  const child = spawn(command, args, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform did not start:\n${out}`)), 90_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Gateway:\s+(http:\/\/\S+)/.exec(out);
      const token = /Development admin token[^\n]*\n(\S+)/.exec(out);
      // Development mode prints an admin token after the URL: wait for it there.
      if (url && (token || env.TALOS_ENV !== 'development')) {
        clearTimeout(timer);
        resolve({ child, gatewayUrl: url[1], token: token?.[1] ?? '', output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => reject(new Error(`platform exited with ${code}:\n${out}`)));
  });
}

