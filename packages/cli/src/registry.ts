// The subgraph registry: adding a subgraph is a folder under subgraphs/, its SDL in
// schemas/<name>.graphql, and one line here. Order fixes each subgraph's default port
// (TALOS_SUBGRAPH_BASE_PORT + index) and must only ever be appended to.
import type { SubgraphDefinition } from '@talos/kit';

export interface RegisteredSubgraph {
  name: string;
  load: () => Promise<SubgraphDefinition<never>>;
}

export const SUBGRAPHS: RegisteredSubgraph[] = [
  { name: 'policy', load: async () => (await import('@talos/subgraph-policy')).policySubgraph as unknown as SubgraphDefinition<never> },
  { name: 'secrets', load: async () => (await import('@talos/subgraph-secrets')).secretsSubgraph as unknown as SubgraphDefinition<never> },
];
