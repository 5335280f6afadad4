import { loadConfig, ConfigError } from '../src/config';

describe('config loader', () => {
  it('fails fast naming the bad variable', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PORT: 'abc' }, 'PORT'],
      [{ PORT: '70000' }, 'PORT'],
      [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
      [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
      [{ TALOS_ENV: 'staging' }, 'TALOS_ENV'],
      [{ TALOS_TOKEN_PUBLIC_JWKS: '{nope' }, 'TALOS_TOKEN_PUBLIC_JWKS'],
      [{ TALOS_ENV: 'production' }, 'DATABASE_URL'],
    ];
    for (const [env, variable] of cases) {
      let err: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe(variable);
      expect((err as Error).message.startsWith(`${variable}:`)).toBe(true);
    }
  });

  it('has working defaults for development', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ env: 'development', gatewayPort: 4000, subgraphBasePort: 4001, busPrefix: 'talos' });
    expect(loadConfig({ TALOS_SUBGRAPH_POLICY_URL: 'http://policy:4001/graphql' }).subgraphUrls).toEqual({ policy: 'http://policy:4001/graphql' });
  });
});
