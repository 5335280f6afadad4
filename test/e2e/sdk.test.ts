// The typed SDK (codegen from schemas/operations) against the running platform.
import { TalosClient, TalosRequestError, MeDocument, UpsertPrincipalDocument, AuditEventsDocument } from '@talos/sdk';
import { startStack, type Stack } from '../src/harness';

describe('@talos/sdk', () => {
  let stack: Stack;
  let client: TalosClient;
  beforeAll(async () => {
    stack = await startStack();
    client = new TalosClient({ url: stack.gatewayUrl, token: stack.adminToken });
  });
  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('runs typed queries and mutations', async () => {
    const me = await client.request(MeDocument);
    expect(me.me.id).toBe('admin');
    expect(me.me.effectivePermissions).toEqual(['*:*']);
    const created = await client.request(UpsertPrincipalDocument, { input: { id: 'sdk-agent', type: 'SERVICE_ACCOUNT' } });
    expect(created.upsertPrincipal).toEqual({ id: 'sdk-agent', type: 'SERVICE_ACCOUNT', displayName: null });
  });

  it('surfaces error codes', async () => {
    const anonymous = new TalosClient({ url: stack.gatewayUrl });
    const err = await anonymous.request(UpsertPrincipalDocument, { input: { id: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TalosRequestError);
    expect((err as TalosRequestError).code).toBe('UNAUTHENTICATED');
  });

  it('subscribes over graphql-ws', async () => {
    const events = client.subscribe(AuditEventsDocument, { chain: 'policy' });
    const first = events.next();
    // The subscription is live once the server has acknowledged it; retry the mutation until an event arrives.
    let received: Awaited<typeof first> | undefined;
    first.then((r) => (received = r));
    for (let i = 0; i < 50 && !received; i++) {
      await client.request(UpsertPrincipalDocument, { input: { id: `sdk-${i}` } });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(received?.value?.auditEvents.action).toBe('rbac.principal_upsert');
    await events.return?.();
  });
});
