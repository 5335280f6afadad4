#!/usr/bin/env node
// `talos` command: start (all-in-one or --service=NAME), token (mint an admin token with the
// configured signing key — how production gets its first token), keys (generate a key set),
// compose (write or --check the supergraph).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, openRuntime, generateKeyEnv, SHUTDOWN_CLOSE_CODE } from '@talos/kit';
import { startPlatform, mintToken, SERVICE_NAMES } from './platform';
import { runCompose } from './compose';

const USAGE = `usage: talos <command>
  start [--service=all|${SERVICE_NAMES.join('|')}]   run the platform (default: all-in-one)
  token [--principal=ID] [--ttl=SECONDS] [--permissions=a:b,c:d]   mint a bearer token
  keys                                               print a fresh key set as env vars
  compose [--check]                                  write/check schemas/supergraph.graphql`;

async function start(service: string): Promise<void> {
  const config = loadConfig();
  const allInOne = service === 'all';
  const platform = await startPlatform({ config, service, devToken: allInOne && config.development });
  const log = platform.runtime.logger;
  if (platform.gateway) {
    const base = platform.gateway.url.replace(/\/graphql$/, '');
    console.log(`\nTalos Federation is running (${platform.runtime.db.embedded ? 'embedded PostgreSQL' : 'PostgreSQL'}, ${platform.runtime.bus.kind} bus)`);
    console.log(`  Gateway:  ${platform.gateway.url}`);
    if (config.development) {
      console.log(`  Sandbox:  ${platform.gateway.url}  (Apollo Sandbox; needs internet)`);
      console.log(`  GraphiQL: ${base}/graphiql  (offline)`);
    }
    if (platform.devToken) console.log(`\nDevelopment admin token (principal "${config.bootstrapAdmin}", 24 h):\n${platform.devToken}\n`);
  }
  for (const s of platform.subgraphs) log.info({ subgraph: s.name, url: s.url }, 'subgraph ready');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, closeCode: SHUTDOWN_CLOSE_CODE }, 'shutting down');
    platform.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function token(principal: string | undefined, ttl: number, permissions?: string[]): Promise<void> {
  const config = loadConfig();
  const runtime = await openRuntime(config, { signTokens: true });
  try {
    console.log(await mintToken(runtime, principal ?? config.bootstrapAdmin, ttl, permissions));
  } finally {
    await runtime.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      service: { type: 'string', default: 'all' },
      principal: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
      permissions: { type: 'string' },
      check: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  switch (command) {
    case 'start':
      return start(values.service!);
    case 'token': {
      const ttl = Number(values.ttl);
      if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400) throw new Error('--ttl must be 60..86400 seconds');
      return token(values.principal, ttl, values.permissions?.split(',').filter(Boolean));
    }
    case 'keys':
      for (const [k, v] of Object.entries(await generateKeyEnv())) console.log(`${k}='${v}'`);
      return;
    case 'compose':
      process.exitCode = runCompose(values.check!);
      return;
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Configuration error: ${err.message}`);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
