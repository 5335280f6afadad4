// Run modes (ARCHITECTURE §2): all-in-one starts every registered subgraph and the gateway in one
// process, each on its own port, talking HTTP/WS over loopback as in production; per-service mode
// starts exactly one of them.
import { randomUUID } from 'node:crypto';
import { loadConfig, openRuntime, signAccessToken, startSubgraph, type Config, type Runtime, type RunningSubgraph } from '@talos/kit';
import { startGateway, type RunningGateway } from '@talos/gateway';
import { SUBGRAPHS } from './registry';
import { readSupergraph } from './compose';

export interface PlatformOptions {
  config?: Config;
  /** 'all' (default) or one service name: 'gateway' or a subgraph. */
  service?: string;
  /** Use port 0 everywhere (tests). */
  ephemeralPorts?: boolean;
  /** Mint a development admin token (all-in-one development mode). */
  devToken?: boolean;
  supergraphSdl?: string;
}

export interface Platform {
  runtime: Runtime;
  gateway?: RunningGateway;
  subgraphs: RunningSubgraph[];
  devToken?: string;
  stop(): Promise<void>;
}

export const SERVICE_NAMES = ['gateway', ...SUBGRAPHS.map((s) => s.name)];

export async function mintToken(runtime: Runtime, principalId: string, ttlSeconds: number, permissions?: string[]): Promise<string> {
  const signer = runtime.keys.tokenSigningKey;
  if (!signer) throw new Error('TALOS_TOKEN_SIGNING_KEY is required to mint tokens');
  return signAccessToken(signer, { principalId, tokenId: randomUUID(), ttlSeconds, permissions, issuer: runtime.config.issuer, audience: runtime.config.audience });
}

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const config = opts.config ?? loadConfig();
  const service = opts.service ?? 'all';
  if (service !== 'all' && !SERVICE_NAMES.includes(service)) {
    throw new Error(`Unknown service "${service}": one of all, ${SERVICE_NAMES.join(', ')}`);
  }
  const runsGateway = service === 'all' || service === 'gateway';
  const runtime = await openRuntime(config, { signAssertions: runsGateway, signTokens: service === 'all' || service === 'policy' });
  const subgraphs: RunningSubgraph[] = [];
  let gateway: RunningGateway | undefined;
  const stop = async () => {
    // Gateway first (clients get the shutdown close code), then subgraphs, then DB and bus.
    await gateway?.stop();
    await Promise.all(subgraphs.map((s) => s.stop()));
    await runtime.close();
  };
  try {
    for (const [index, entry] of SUBGRAPHS.entries()) {
      if (service !== 'all' && service !== entry.name) continue;
      // Base port 0 = ephemeral ports for every subgraph.
      const port = opts.ephemeralPorts || (service === 'all' && config.subgraphBasePort === 0) ? 0 : service === 'all' ? config.subgraphBasePort + index : config.gatewayPort;
      subgraphs.push(await startSubgraph(await entry.load(), runtime, port));
    }
    const devToken = opts.devToken ? await mintToken(runtime, config.bootstrapAdmin, 86_400) : undefined;
    if (runsGateway) {
      gateway = await startGateway(runtime, {
        supergraphSdl: opts.supergraphSdl ?? readSupergraph(),
        subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
        port: opts.ephemeralPorts ? 0 : config.gatewayPort,
        devToken,
      });
    }
    return { runtime, gateway, subgraphs, devToken, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
