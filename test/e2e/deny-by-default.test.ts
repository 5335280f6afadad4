// Field enumeration (issue #2): every field reachable from Query, Mutation and Subscription of the
// composed supergraph — and every field of every entity type behind `_entities` — is denied to
// anonymous callers and to principals without bindings unless the SDL declares it @public
// (or, for the latter, @authenticated). New subgraphs are covered automatically.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { readAuthzDeclarations, signAssertion, SCHEMAS_DIR, ASSERTION_HEADER, REQUEST_ID_HEADER, type FieldRule } from '@talos/kit';
import { SUBGRAPHS } from '@talos/cli';
import { startStack, post, type Stack, type GraphQLResponse } from '../src/harness';

const DENIALS_ANONYMOUS = ['UNAUTHENTICATED'];
const DENIALS_NO_BINDING = ['RBAC_BINDING_NOT_FOUND', 'RBAC_PERMISSION_DENIED', 'RBAC_SCOPE_MISMATCH', 'FORBIDDEN'];

/**
 * One existing entity per entity type, so `_entities` resolves it and its fields' rules run.
 * Adding an entity type to a subgraph means adding a sample here (the test fails until then).
 */
const ENTITY_SAMPLES: Record<string, (stack: Stack) => Record<string, unknown>> = {
  Principal: (stack) => ({ id: stack.platform.runtime.config.bootstrapAdmin }),
  Secret: () => ({ id: sampleSecretId }),
};
/** Created through the gateway in beforeAll, so the Secret sample exists. */
let sampleSecretId = '';

function sampleLiteral(type: GraphQLInputType, depth = 0): string {
  if (isNonNullType(type)) return sampleLiteral(type.ofType, depth);
  if (isListType(type)) return `[${sampleLiteral(type.ofType, depth)}]`;
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${fields.map((f) => `${f.name}: ${sampleLiteral(f.type, depth + 1)}`).join(', ')} }`;
  }
  if (isScalarType(type)) {
    if (type.name === 'Int') return '1';
    if (type.name === 'Float') return '1.5';
    if (type.name === 'Boolean') return 'true';
    return JSON.stringify(`sample-${type.name.toLowerCase()}`);
  }
  throw new Error(`no sample for ${String(type)}`);
}

function operationFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const argText = args.length ? `(${args.map((a) => `${a.name}: ${sampleLiteral(a.type)}`).join(', ')})` : '';
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || 'getTypes' in named ? ' { __typename }' : '';
  return `${kind} { ${field.name}${argText}${selection} }`;
}

function declarations(): FieldRule[] {
  return SUBGRAPHS.flatMap((s) => readAuthzDeclarations(readFileSync(path.join(SCHEMAS_DIR, `${s.name}.graphql`), 'utf8')).fields);
}

describe('deny by default: field enumeration through the gateway', () => {
  let stack: Stack;
  let noBindingToken: string;
  let schema: GraphQLSchema;
  const rules = new Map(declarations().map((f) => [`${f.typeName}.${f.fieldName}`, f.rule.kind]));

  beforeAll(async () => {
    stack = await startStack();
    schema = Supergraph.build(readFileSync(path.join(SCHEMAS_DIR, 'supergraph.graphql'), 'utf8')).apiSchema().toGraphQLJSSchema();
    const id = `nobody-${randomUUID().slice(0, 8)}`;
    const r = await stack.gql('mutation($i: PrincipalInput!) { upsertPrincipal(input: $i) { id } }', { i: { id } }, stack.adminToken);
    expect(r.errors).toBeUndefined();
    const t = await stack.gql('mutation($i: IssueTokenInput!) { issueToken(input: $i) { token } }', { i: { principalId: id } }, stack.adminToken);
    noBindingToken = t.data.issueToken.token;
    const secret = await stack.gql('mutation { putSecret(name: "deny-sample", value: "sample-value") { id } }', {}, stack.adminToken);
    expect(secret.errors).toBeUndefined();
    sampleSecretId = secret.data.putSecret.id;
  });
  afterAll(() => stack?.stop());

  async function run(kind: 'query' | 'mutation' | 'subscription', op: string, token?: string): Promise<GraphQLResponse> {
    if (kind !== 'subscription') return stack.gql(op, {}, token);
    const client = stack.ws(token);
    try {
      const it = client.iterate({ query: op });
      // A denied subscription answers at once with an error; an allowed one stays open waiting for
      // events, so silence means "not denied".
      const quiet = { value: {} as object };
      let timer: NodeJS.Timeout | undefined;
      const first = await Promise.race([it.next(), new Promise<typeof quiet>((resolve) => (timer = setTimeout(() => resolve(quiet), 2000)))]);
      clearTimeout(timer);
      await it.return?.();
      return { status: 200, ...(first.value as object) };
    } finally {
      await client.dispose();
    }
  }

  const roots: Array<['query' | 'mutation' | 'subscription', 'Query' | 'Mutation' | 'Subscription']> = [
    ['query', 'Query'],
    ['mutation', 'Mutation'],
    ['subscription', 'Subscription'],
  ];

  it('covers every root field of every registered subgraph', async () => {
    let checked = 0;
    for (const [kind, typeName] of roots) {
      const type = schema.getRootType(kind as never);
      if (!type) continue;
      for (const field of Object.values(type.getFields())) {
        const key = `${typeName}.${field.name}`;
        const declared = rules.get(key);
        expect({ key, declared: declared ?? 'missing' }).not.toEqual({ key, declared: 'missing' });
        const op = operationFor(kind, field);

        const anon = await run(kind, op);
        if (declared === 'public') {
          const codes = anon.errors?.map((e) => e.extensions?.code) ?? [];
          expect({ key, denied: codes.some((c) => DENIALS_ANONYMOUS.includes(c)) }).toEqual({ key, denied: false });
        } else {
          const code = anon.errors?.[0]?.extensions?.code;
          expect({ key, code, denied: DENIALS_ANONYMOUS.includes(code) }).toMatchObject({ key, denied: true });
        }

        const nobody = await run(kind, op, noBindingToken);
        if (declared === 'public' || declared === 'authenticated') {
          const codes = nobody.errors?.map((e) => e.extensions?.code) ?? [];
          expect({ key, denied: codes.some((c) => DENIALS_NO_BINDING.includes(c)) }).toEqual({ key, denied: false });
        } else {
          const code = nobody.errors?.[0]?.extensions?.code;
          expect({ key, code, denied: DENIALS_NO_BINDING.includes(code) }).toMatchObject({ key, denied: true });
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('denies every entity field behind _entities, straight at each subgraph with a valid assertion', async () => {
    const keys = stack.platform.runtime.keys;
    for (const sg of stack.platform.subgraphs) {
      const sdl = readFileSync(path.join(SCHEMAS_DIR, `${sg.name}.graphql`), 'utf8');
      const own = readAuthzDeclarations(sdl).fields;
      // Entity types this subgraph resolves (stubs declared `resolvable: false` are not its to serve).
      const entityTypes = new Set(
        [...sdl.matchAll(/type (\w+)[^{]*@key\(([^)]*)\)/g)].filter((m) => !/resolvable:\s*false/.test(m[2])).map((m) => m[1]),
      );
      for (const typeName of entityTypes) {
        const sample = ENTITY_SAMPLES[typeName];
        expect({ typeName, hasSample: !!sample }).toEqual({ typeName, hasSample: true });
        const type = schema.getType(typeName);
        if (!isObjectType(type)) continue;
        for (const decl of own.filter((f) => f.typeName === typeName)) {
          const field = type.getFields()[decl.fieldName];
          const declared = decl.rule.kind;
          const named = getNamedType(field.type);
          const sel = isObjectType(named) ? `${field.name} { __typename }` : field.name;
          const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typeName} { ${sel} } } }`;
          for (const principal of [null, { id: 'nobody-entity' }]) {
            const requestId = randomUUID();
            const assertion = await signAssertion(keys.assertionSigningKey!, { principal, requestId }, 60);
            const r = await post(sg.url, { query, variables: { r: [{ __typename: typeName, ...sample(stack) }] } }, { [ASSERTION_HEADER]: assertion, [REQUEST_ID_HEADER]: requestId });
            const codes = r.errors?.map((e) => e.extensions?.code) ?? [];
            const allowed = declared === 'public' || (declared === 'authenticated' && principal);
            const denials = principal ? DENIALS_NO_BINDING : DENIALS_ANONYMOUS;
            expect({ field: `${typeName}.${field.name}`, principal: principal?.id ?? 'anonymous', denied: codes.some((c) => denials.includes(c)) }).toEqual({
              field: `${typeName}.${field.name}`,
              principal: principal?.id ?? 'anonymous',
              denied: !allowed,
            });
          }
        }
      }
    }
  });
});
