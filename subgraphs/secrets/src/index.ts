// The secrets subgraph: envelope-encrypted secrets, fail-closed KEKs, crash-safe rotation (reference §2).
import type { SubgraphDefinition } from '@talos/kit';
import { loadKekRing } from './domain/keyring';
import { SecretVault } from './domain/secret-vault';
import { RotationWorker } from './domain/rotation';
import { resolvers, type SecretsServices } from './resolvers';

export { loadKekRing, KekRing } from './domain/keyring';
export { SecretVault, seal, open, toEnvelope } from './domain/secret-vault';
export { RotationWorker, startRotation, PROGRESS_TOPIC } from './domain/rotation';
export { SecretStore } from './store/secret-store';

export const secretsSubgraph: SubgraphDefinition<SecretsServices> = {
  name: 'secrets',
  resolvers,
  services: async (runtime) => {
    // Eager: a missing or malformed KEK stops the service before it listens (§10.11).
    const ring = loadKekRing(runtime.config, runtime.logger);
    const vault = new SecretVault(runtime, ring);
    const worker = new RotationWorker(runtime, ring);
    await worker.start();
    return { services: { vault, ring }, stop: () => worker.stop() };
  },
};
