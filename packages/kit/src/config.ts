// The one config loader: reads the environment once, validates every variable and fails fast with
// the variable's name. Services receive a frozen Config; nothing else reads process.env.
import path from 'node:path';
import { decodeKek, KEK_ID_RE } from '@talos/protocol';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

export interface Config {
  env: 'development' | 'production' | 'test';
  development: boolean;
  /** Folder for all-in-one state: embedded database, generated keys. */
  stateDir: string;
  databaseUrl?: string;
  databaseReadUrl?: string;
  redisUrl?: string;
  /** Prefix for bus channels and rate-limit keys (lets tests and tenants share one Redis). */
  busPrefix: string;
  logLevel: string;
  host: string;
  gatewayPort: number;
  /** Subgraph listen ports in all-in-one mode: base + index in the registry. */
  subgraphBasePort: number;
  /** Subgraph URLs the gateway routes to, by name (per-service mode). */
  subgraphUrls: Record<string, string>;
  issuer: string;
  audience: string;
  /** Public keys (JWKS JSON) that verify bearer tokens; the policy service signs with tokenSigningKey. */
  tokenPublicJwks?: string;
  tokenSigningKey?: string;
  /** Gateway → subgraph principal assertion key pair (JWK JSON); subgraphs need only the public one. */
  assertionPrivateKey?: string;
  assertionPublicKey?: string;
  assertionTtlSeconds: number;
  shutdownTimeoutMs: number;
  rateLimitPerMinute: number;
  limits: { maxDepth: number; maxAliases: number; maxDocumentBytes: number; maxBatch: number };
  bootstrapAdmin: string;
  secrets: SecretsConfig;
}

/** Secrets service (reference §2.3): KEKs by id and rotation-worker tuning. */
export interface SecretsConfig {
  /** KEK id → unpadded base64url of exactly 32 bytes, from TALOS_KEK_<id> (id lower-cased). */
  keks: Readonly<Record<string, string>>;
  /** TALOS_CURRENT_KEK_ID; the secrets service refuses to start without it (development may generate one). */
  currentKekId?: string;
  rotationBatchSize: number;
  rotationThrottleMs: number;
  rotationPollMs: number;
  /** How long a rotation leader's claim lasts without progress before another process takes over. */
  rotationLeaseMs: number;
}

function secretsConfig(env: Env): SecretsConfig {
  const keks: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^TALOS_KEK_(.+)$/.exec(key);
    if (!m || value === undefined) continue;
    const id = m[1].toLowerCase();
    if (!KEK_ID_RE.test(id)) throw new ConfigError(key, 'KEK id must match [a-z0-9][a-z0-9_-]{0,31}');
    if (keks[id] !== undefined) throw new ConfigError(key, `KEK id "${id}" is defined twice`);
    try {
      decodeKek(value);
    } catch {
      throw new ConfigError(key, 'must be unpadded base64url of exactly 32 bytes');
    }
    keks[id] = value;
  }
  const current = env.TALOS_CURRENT_KEK_ID || undefined;
  if (current !== undefined && !KEK_ID_RE.test(current)) throw new ConfigError('TALOS_CURRENT_KEK_ID', 'must match [a-z0-9][a-z0-9_-]{0,31}');
  return {
    keks: Object.freeze(keks),
    currentKekId: current,
    rotationBatchSize: int(env, 'TALOS_ROTATION_BATCH_SIZE', 100, 1, 10_000),
    rotationThrottleMs: int(env, 'TALOS_ROTATION_THROTTLE_MS', 200, 0, 600_000),
    rotationPollMs: int(env, 'TALOS_ROTATION_POLL_MS', 5_000, 10, 600_000),
    rotationLeaseMs: int(env, 'TALOS_ROTATION_LEASE_MS', 30_000, 100, 3_600_000),
  };
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw;
}

function json(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'must be JSON (a JWK or JWKS document)');
  }
  return raw;
}

function subgraphUrls(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^TALOS_SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (!m || !value) continue;
    out[m[1].toLowerCase()] = url(env, key, ['http:', 'https:'])!;
  }
  return out;
}

export function loadConfig(env: Env = process.env): Config {
  const mode = env.TALOS_ENV ?? (env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development');
  if (mode !== 'development' && mode !== 'production' && mode !== 'test') {
    throw new ConfigError('TALOS_ENV', `must be development, production or test, got "${mode}"`);
  }
  const level = env.LOG_LEVEL ?? (mode === 'test' ? 'warn' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) {
    throw new ConfigError('LOG_LEVEL', `unknown level "${level}"`);
  }
  const prefix = env.TALOS_BUS_PREFIX ?? 'talos';
  if (!/^[a-zA-Z0-9_.:-]{1,64}$/.test(prefix)) throw new ConfigError('TALOS_BUS_PREFIX', 'must match [a-zA-Z0-9_.:-]{1,64}');
  const config: Config = {
    env: mode,
    development: mode === 'development',
    stateDir: path.resolve(env.TALOS_STATE_DIR ?? '.talos'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databaseReadUrl: url(env, 'DATABASE_READ_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    busPrefix: prefix,
    logLevel: level,
    host: env.TALOS_HOST ?? '127.0.0.1',
    gatewayPort: int(env, 'PORT', 4000, 0, 65535),
    subgraphBasePort: int(env, 'TALOS_SUBGRAPH_BASE_PORT', 4001, 0, 65535),
    subgraphUrls: subgraphUrls(env),
    issuer: env.TALOS_TOKEN_ISSUER ?? 'talos',
    audience: env.TALOS_TOKEN_AUDIENCE ?? 'talos-api',
    tokenPublicJwks: json(env, 'TALOS_TOKEN_PUBLIC_JWKS'),
    tokenSigningKey: json(env, 'TALOS_TOKEN_SIGNING_KEY'),
    assertionPrivateKey: json(env, 'TALOS_ASSERTION_PRIVATE_KEY'),
    assertionPublicKey: json(env, 'TALOS_ASSERTION_PUBLIC_KEY'),
    assertionTtlSeconds: int(env, 'TALOS_ASSERTION_TTL_SECONDS', 60, 5, 600),
    shutdownTimeoutMs: int(env, 'TALOS_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    rateLimitPerMinute: int(env, 'TALOS_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    limits: {
      maxDepth: int(env, 'TALOS_MAX_DEPTH', 12, 1, 100),
      maxAliases: int(env, 'TALOS_MAX_ALIASES', 30, 1, 1000),
      maxDocumentBytes: int(env, 'TALOS_MAX_DOCUMENT_BYTES', 32_768, 256, 10_485_760),
      maxBatch: int(env, 'TALOS_MAX_BATCH', 1, 1, 100),
    },
    bootstrapAdmin: env.TALOS_BOOTSTRAP_ADMIN ?? 'admin',
    secrets: secretsConfig(env),
  };
  if (!/^[A-Za-z0-9_.@:-]{1,255}$/.test(config.bootstrapAdmin)) {
    throw new ConfigError('TALOS_BOOTSTRAP_ADMIN', 'must be a principal id ([A-Za-z0-9_.@:-], 1-255 chars)');
  }
  if (config.env === 'production' && !config.databaseUrl) {
    throw new ConfigError('DATABASE_URL', 'is required in production (the embedded database is for development only)');
  }
  return Object.freeze(config);
}
