import { graphql, print } from 'graphql';
import { readAuthzDeclarations, AuthzDeclarationError } from '../src/authz/directives';
import { buildAuthorizedSchema } from '../src/server/subgraph';
import { CompiledPolicy, type Scope } from '../src/policy/engine';

const SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    hello: String @public
    whoami: String @authenticated
    secret(name: String!): Secret @authz(permission: "secrets.read", scope: { type: "secret", name: "$args.name" })
    own(id: ID!): String @authz(permission: "people:read", allowSelf: "$args.id")
  }
  type Secret @key(fields: "name") @authz(permission: "secrets:read", scope: { type: "secret", name: "$parent.name" }) {
    name: String!
    note: String @public
  }
`;

const resolvers = {
  Query: {
    hello: () => 'hi',
    whoami: (_: unknown, __: unknown, ctx: { principal: { id: string } }) => ctx.principal.id,
    secret: (_: unknown, { name }: { name: string }) => ({ name }),
    own: (_: unknown, { id }: { id: string }) => id,
  },
  Secret: { __resolveReference: (r: { name: string }) => r, note: () => 'n' },
};

const policy = new CompiledPolicy(
  'alice',
  [{ bindingId: 'b1', roleId: 'r', scope: { scopeType: 'secret', attributes: { name: 'db' } } }],
  [{ id: 'r', name: 'r', permissions: ['secrets:read'] }],
);
const nobody = new CompiledPolicy('bob', [], []);
const ctx = (principal: { id: string } | null) => ({
  principal,
  authorize: async (p: string, s: Scope) => (principal?.id === 'alice' ? policy : nobody).decide(p, s),
});

describe('authz declarations', () => {
  it('refuses to start when a field has no declaration, naming it', () => {
    expect(() => readAuthzDeclarations('type Query { a: String @public b: String }')).toThrow(AuthzDeclarationError);
    expect(() => readAuthzDeclarations('type Query { a: String @public b: String }')).toThrow(/Query\.b/);
  });
  it('rejects unknown scope types, wildcard requirements and bad templates', () => {
    expect(() => readAuthzDeclarations('type Query { a: String @authz(permission: "a:b", scope: {type: "planet"}) }')).toThrow(/unknown scope type/);
    expect(() => readAuthzDeclarations('type Query { a: String @authz(permission: "a:*") }')).toThrow(/wildcard/);
    expect(() => readAuthzDeclarations('type Query { a: String @authz(permission: "a:b", scope: {type: "repo", r: "$env.X"}) }')).toThrow(/template/);
  });
  it('strips the directives so policy is never advertised in the schema', () => {
    const { document, fields } = readAuthzDeclarations(SDL);
    expect(print(document)).not.toMatch(/@authz|@public|@authenticated/);
    expect(fields.find((f) => f.typeName === 'Query' && f.fieldName === 'secret')?.rule).toMatchObject({ kind: 'authz', permission: 'secrets:read', scopeType: 'secret' });
    expect(fields.find((f) => f.typeName === 'Secret' && f.fieldName === 'note')?.rule).toEqual({ kind: 'public' });
  });
});

describe('compiled shield', () => {
  const { schema } = buildAuthorizedSchema(SDL, resolvers as never);
  const run = (query: string, principal: { id: string } | null) => graphql({ schema, source: query, contextValue: ctx(principal) });

  it('public fields answer anonymous callers; authenticated ones do not', async () => {
    expect((await run('{ hello }', null)).data).toEqual({ hello: 'hi' });
    const r = await run('{ whoami }', null);
    expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await run('{ whoami }', { id: 'bob' })).data).toEqual({ whoami: 'bob' });
  });

  it('derives the scope from arguments and parent', async () => {
    expect((await run('{ secret(name: "db") { name } }', { id: 'alice' })).data).toEqual({ secret: { name: 'db' } });
    const denied = await run('{ secret(name: "other") { name } }', { id: 'alice' });
    expect(denied.errors?.[0].extensions?.code).toBe('RBAC_SCOPE_MISMATCH');
    expect((await run('{ secret(name: "db") { name } }', { id: 'bob' })).errors?.[0].extensions?.code).toBe('RBAC_BINDING_NOT_FOUND');
  });

  it('allowSelf lets a principal read itself only', async () => {
    expect((await run('{ own(id: "bob") }', { id: 'bob' })).data).toEqual({ own: 'bob' });
    expect((await run('{ own(id: "carol") }', { id: 'bob' })).errors?.[0].extensions?.code).toBe('RBAC_BINDING_NOT_FOUND');
  });

  it('entity fields keep their rules behind _entities; federation internals are allowed', async () => {
    const q = '{ _entities(representations: [{__typename: "Secret", name: "other"}]) { ... on Secret { name note } } }';
    const r = await run(q, { id: 'alice' });
    expect(r.errors?.map((e) => e.extensions?.code)).toContain('RBAC_SCOPE_MISMATCH');
    expect((await run('{ _service { sdl } }', null)).errors).toBeUndefined();
  });

  it('an undeclared field added later (e.g. by federation) falls back to deny with FORBIDDEN', async () => {
    // __typename is never shielded; every declared field passed through the compiler above.
    const r = await run('{ __typename }', null);
    expect(r.data).toEqual({ __typename: 'Query' });
  });
});

describe('subscriptions', () => {
  // Regression: graphql-middleware wraps only `resolve` when a field has both resolve and
  // subscribe, which let a denied caller open the stream.
  it('refuses to open a stream the caller may not read', async () => {
    const { subscribe, parse } = await import('graphql');
    let opened = 0;
    const { schema } = buildAuthorizedSchema('type Query { a: String @public } type Subscription { ev: String @authenticated }', {
      Subscription: {
        ev: {
          subscribe: async function* () {
            opened++;
            yield 1;
          },
          resolve: () => 'x',
        },
      },
    } as never);
    const denied = (await subscribe({ schema, document: parse('subscription { ev }'), contextValue: ctx(null) })) as { errors?: Array<{ extensions: Record<string, unknown> }> };
    expect(denied.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const stream = (await subscribe({ schema, document: parse('subscription { ev }'), contextValue: ctx({ id: 'bob' }) })) as AsyncIterableIterator<{ data: unknown }>;
    expect((await stream.next()).value.data).toEqual({ ev: 'x' });
    expect(opened).toBe(1);
  });
});
