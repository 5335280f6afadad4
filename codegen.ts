// GraphQL Code Generator: typed resolvers for each subgraph (from its SDL, federation-aware) and a
// typed client (TypedDocumentNode) for packages/sdk from schemas/operations/*.graphql.
import type { CodegenConfig } from '@graphql-codegen/cli';

import { existsSync, readFileSync, readdirSync } from 'node:fs';

// Every folder under subgraphs/ with its SDL in schemas/<name>.graphql: nothing to register here.
const SUBGRAPHS = readdirSync('subgraphs', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`schemas/${d.name}.graphql`))
  .map((d) => d.name)
  .sort();

/** Mappers (parent types = store rows) and internal enum values a subgraph declares for codegen. */
function subgraphCodegen(name: string): Record<string, unknown> {
  const file = `subgraphs/${name}/codegen.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...Object.fromEntries(
      SUBGRAPHS.map((name) => [
        `subgraphs/${name}/src/__generated__/resolvers-types.ts`,
        {
          schema: [`schemas/${name}.graphql`, 'schemas/authz.graphql'],
          plugins: ['typescript', 'typescript-resolvers'],
          config: {
            federation: true,
            useIndexSignature: true,
            contextType: '@talos/kit#SubgraphContext',
            scalars: { DateTime: 'Date | string', JSON: 'unknown' },
            enumsAsTypes: true,
            // Per-subgraph row types and enum values: subgraphs/<name>/codegen.json (optional).
            ...subgraphCodegen(name),
          },
        },
      ]),
    ),
    'packages/sdk/src/__generated__/operations.ts': {
      schema: 'schemas/supergraph.graphql',
      documents: 'schemas/operations/*.graphql',
      plugins: ['typescript-operations', 'typed-document-node'],
      config: { scalars: { DateTime: 'string', JSON: 'unknown' }, enumsAsTypes: true, useTypeImports: true },
    },
  },
};

export default config;
