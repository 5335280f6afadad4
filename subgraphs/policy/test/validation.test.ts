import { toScope, validatePermissions, validatePrincipalId, validateRoleName } from '../src/domain/validation';
import { effectivePermissions } from '../src/domain/policy-admin';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('policy input rules', () => {
  it('role names, principal ids and permissions are validated before anything is stored', () => {
    expect(validateRoleName('agent-runner_2')).toBe('agent-runner_2');
    for (const bad of ['', 'has space', 'x'.repeat(101), 'émoji']) expect(code(() => validateRoleName(bad))).toBe('BAD_USER_INPUT');
    expect(validatePrincipalId('svc:agent@team.io')).toBe('svc:agent@team.io');
    expect(code(() => validatePrincipalId('bad id'))).toBe('BAD_USER_INPUT');
    expect(validatePermissions(['b.read', 'a:write', 'b:read'])).toEqual(['a:write', 'b:read']);
    expect(code(() => validatePermissions([]))).toBe('BAD_USER_INPUT');
  });

  it('scopes: global by default, attributes checked, no duplicates, none on global', () => {
    expect(toScope(null)).toEqual({ scopeType: 'global', attributes: {} });
    expect(toScope({ type: 'repo', attributes: [{ key: 'repo', value: 'talos/x' }] })).toEqual({ scopeType: 'repo', attributes: { repo: 'talos/x' } });
    expect(code(() => toScope({ type: 'planet' }))).toBe('BAD_USER_INPUT');
    expect(code(() => toScope({ type: 'repo', attributes: [{ key: 'repo', value: 'a' }, { key: 'repo', value: 'b' }] }))).toBe('BAD_USER_INPUT');
    expect(code(() => toScope({ type: 'global', attributes: [{ key: 'a', value: 'b' }] }))).toBe('BAD_USER_INPUT');
    expect(code(() => toScope({ type: 'repo', attributes: [{ key: '1bad', value: 'b' }] }))).toBe('BAD_USER_INPUT');
  });

  it('effective permissions are the bindings\' grants intersected with the token narrowing', () => {
    const b = (perms: string[]) => ({ role: { permissions: perms } }) as never;
    expect(effectivePermissions([b(['secrets:*']), b(['audit:read'])])).toEqual(['audit:read', 'secrets:*']);
    expect(effectivePermissions([b(['secrets:*']), b(['audit:read'])], ['secrets:read'])).toEqual(['secrets:read']);
    expect(effectivePermissions([b(['secrets:read'])], ['secrets:*'])).toEqual(['secrets:read']);
    expect(effectivePermissions([b(['audit:read'])], ['tools:call'])).toEqual([]);
  });
});
