// Static supergraph: schemas/<name>.graphql (authz directives stripped) → composeServices →
// schemas/supergraph.graphql. `--check` fails when the committed file is stale.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { print } from 'graphql';
import { readAuthzDeclarations, SCHEMAS_DIR } from '@talos/kit';
import { SUBGRAPHS } from './registry';

export const SUPERGRAPH_PATH = path.join(SCHEMAS_DIR, 'supergraph.graphql');
export const DEFAULT_BASE_PORT = 4001;

export function subgraphSdl(name: string): string {
  return print(readAuthzDeclarations(readFileSync(path.join(SCHEMAS_DIR, `${name}.graphql`), 'utf8')).document);
}

export function composeSupergraph(): string {
  const result = composeServices(
    SUBGRAPHS.map((s, i) => ({
      name: s.name,
      url: `http://localhost:${DEFAULT_BASE_PORT + i}/graphql`,
      typeDefs: readAuthzDeclarations(readFileSync(path.join(SCHEMAS_DIR, `${s.name}.graphql`), 'utf8')).document,
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl.trim()}\n`;
}

/** Returns a process exit code. */
export function runCompose(check: boolean): number {
  const sdl = composeSupergraph();
  const current = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : '';
  if (check) {
    if (current !== sdl) {
      console.error('schemas/supergraph.graphql is stale: run `npm run compose` and commit it');
      return 1;
    }
    console.log('schemas/supergraph.graphql is up to date');
    return 0;
  }
  writeFileSync(SUPERGRAPH_PATH, sdl);
  console.log(`wrote ${path.relative(process.cwd(), SUPERGRAPH_PATH)} (${SUBGRAPHS.length} subgraphs)`);
  return 0;
}

export function readSupergraph(): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8');
}
