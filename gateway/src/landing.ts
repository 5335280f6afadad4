// Developer landing pages: Apollo Sandbox (needs a browser with internet) and a self-contained
// GraphiQL at /graphiql that works offline; both preloaded with the dev token and example operations.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

export const OPERATIONS_DIR = path.resolve(__dirname, '../../schemas/operations');

/** All example operations from schemas/operations/*.graphql, concatenated. */
export function exampleOperations(): string {
  if (!existsSync(OPERATIONS_DIR)) return '';
  return readdirSync(OPERATIONS_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(path.join(OPERATIONS_DIR, f), 'utf8').trim())
    .join('\n\n');
}

let graphiqlHtml: string | undefined;

/** Built once: the renderer inlines ~9 MB of GraphiQL assets. */
export function renderOfflineGraphiql(opts: { token?: string; document: string }): string {
  if (graphiqlHtml) return graphiqlHtml;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as { renderGraphiQL: (o: Record<string, unknown>) => string };
  graphiqlHtml = renderGraphiQL({
    title: 'Talos Federation — GraphiQL',
    endpoint: '/graphql',
    subscriptionsProtocol: 'WS',
    defaultQuery: opts.document || '{ me { id effectivePermissions } }',
    headers: opts.token ? JSON.stringify({ Authorization: `Bearer ${opts.token}` }, null, 2) : '{}',
  });
  return graphiqlHtml;
}
