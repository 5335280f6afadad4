// The policy subgraph: roles, bindings, tokens and the audit chain (reference §1).
import type { SubgraphDefinition } from '@talos/kit';
import { PolicyAdmin } from './domain/policy-admin';
import { resolvers, type PolicyServices } from './resolvers';

export { PolicyAdmin } from './domain/policy-admin';

export const policySubgraph: SubgraphDefinition<PolicyServices> = {
  name: 'policy',
  resolvers,
  services: async (runtime) => {
    const admin = new PolicyAdmin(runtime);
    await admin.ensureBootstrap();
    return { services: { admin } };
  },
};
