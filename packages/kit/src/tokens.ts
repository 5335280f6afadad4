// Bearer access tokens: EdDSA JWTs. Verification pins the algorithm (so `none` and HS* are
// rejected), checks exp/nbf/iss/aud and resolves the key by kid from a local JWKS.
import { SignJWT, createLocalJWKSet, jwtVerify, errors, type JWK, type CryptoKey } from 'jose';
import { TalosError, ErrorCode } from './errors';
import type { Principal } from './principal';

export interface IssueTokenInput {
  principalId: string;
  tokenId: string;
  ttlSeconds: number;
  permissions?: string[];
  issuer: string;
  audience: string;
  now?: Date;
}

export async function signAccessToken(signer: { key: CryptoKey; kid: string }, input: IssueTokenInput): Promise<string> {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims: Record<string, unknown> = {};
  if (input.permissions) claims.perms = input.permissions;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'JWT' })
    .setSubject(input.principalId)
    .setJti(input.tokenId)
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + input.ttlSeconds)
    .sign(signer.key);
}

export type TokenVerifier = (token: string) => Promise<Principal>;

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  clockToleranceSeconds?: number;
  /** Verified tokens remembered until they expire (0 disables): saves an Ed25519 verify per request. */
  cacheSize?: number;
}

export function createTokenVerifier(jwks: { keys: JWK[] }, opts: TokenVerifierOptions): TokenVerifier {
  const keySet = createLocalJWKSet(jwks);
  const cacheSize = opts.cacheSize ?? 10_000;
  const cache = new Map<string, { principal: Principal; expMs: number }>();
  const verify = async (token: string): Promise<Principal> => {
    const hit = cache.get(token);
    if (hit) {
      if (Date.now() < hit.expMs) return hit.principal;
      cache.delete(token);
    }
    const { principal, exp } = await verifyOnce(token);
    if (cacheSize > 0) {
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
      cache.set(token, { principal, expMs: exp * 1000 });
    }
    return principal;
  };
  const verifyOnce = async (token: string): Promise<{ principal: Principal; exp: number }> => {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: ['EdDSA'],
        issuer: opts.issuer,
        audience: opts.audience,
        clockTolerance: opts.clockToleranceSeconds ?? 5,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      });
      const perms = payload.perms;
      if (perms !== undefined && !(Array.isArray(perms) && perms.every((p) => typeof p === 'string'))) {
        throw new TalosError(ErrorCode.UNAUTHENTICATED, 'Token permissions claim is malformed');
      }
      return { principal: { id: payload.sub!, tokenId: payload.jti, ...(perms ? { permissions: perms as string[] } : {}) }, exp: payload.exp! };
    } catch (err) {
      if (err instanceof TalosError) throw err;
      if (err instanceof errors.JWTExpired) throw new TalosError('AUTH_EXPIRED', 'Token has expired');
      throw new TalosError(ErrorCode.UNAUTHENTICATED, 'Token is invalid', { reason: err instanceof errors.JOSEError ? err.code : 'ERR_INVALID' });
    }
  };
  return verify;
}
