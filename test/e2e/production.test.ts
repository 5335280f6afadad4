// Production mode: configured keys only, no landing pages, introspection off, CSRF prevention on.
import { generateKeyEnv } from '@talos/kit';
import { startStack, codeOf, type Stack } from '../src/harness';

describe('production mode', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TALOS_ENV: 'production', ...(await generateKeyEnv()) } });
  });
  afterAll(() => stack?.stop());

  it('serves the API with configured keys', async () => {
    expect((await stack.gql('{ me { id } }', {}, stack.adminToken)).data).toEqual({ me: { id: 'admin' } });
  });

  it('turns introspection off', async () => {
    const r = await stack.gql('{ __schema { types { name } } }', {}, stack.adminToken);
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('has no landing page and no GraphiQL', async () => {
    const page = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/sandbox|graphiql/i);
    expect((await fetch(stack.gatewayUrl.replace(/graphql$/, 'graphiql'))).status).toBe(404);
  });

  it('blocks requests a browser could send cross-site without a preflight (CSRF)', async () => {
    const res = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ me { id } }')}`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
  });
});
