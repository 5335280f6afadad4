// Principal assertion: the gateway's short-lived, signed statement of who is asking, bound to one
// request id. Subgraphs trust nothing else (ARCHITECTURE §1 "Principal assertion").
import { SignJWT, jwtVerify, type CryptoKey } from 'jose';
import { TalosError, ErrorCode } from './errors';
import type { Principal } from './principal';

export const ASSERTION_HEADER = 'x-talos-assertion';
export const REQUEST_ID_HEADER = 'x-talos-request-id';
const ISSUER = 'talos-gateway';
const AUDIENCE = 'talos-subgraph';

export interface AssertionClaims {
  principal: Principal | null;
  requestId: string;
}

export async function signAssertion(signer: { key: CryptoKey; kid: string }, claims: AssertionClaims, ttlSeconds: number): Promise<string> {
  const body: Record<string, unknown> = { rid: claims.requestId };
  if (claims.principal?.tokenId) body.tid = claims.principal.tokenId;
  if (claims.principal?.permissions) body.perms = claims.principal.permissions;
  const jwt = new SignJWT(body)
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'talos-assertion+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  if (claims.principal) jwt.setSubject(claims.principal.id);
  return jwt.sign(signer.key);
}

/**
 * Verifies an assertion; `requestId` must match the one the assertion was issued for (an assertion
 * cannot be replayed onto another request id).
 */
export async function verifyAssertion(token: string | undefined, key: CryptoKey, requestId: string): Promise<AssertionClaims> {
  if (!token) throw new TalosError(ErrorCode.ASSERTION_INVALID, 'Request did not come through the gateway');
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['EdDSA'],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: 'talos-assertion+jwt',
      clockTolerance: 5,
      requiredClaims: ['exp', 'iat', 'rid'],
    });
    if (typeof payload.rid !== 'string') throw new Error('rid');
    if (payload.rid !== requestId) throw new Error('rid mismatch');
    const perms = payload.perms;
    if (perms !== undefined && !(Array.isArray(perms) && perms.every((p) => typeof p === 'string'))) throw new Error('perms');
    const principal: Principal | null = payload.sub
      ? {
          id: payload.sub,
          ...(typeof payload.tid === 'string' ? { tokenId: payload.tid } : {}),
          ...(perms ? { permissions: perms as string[] } : {}),
        }
      : null;
    return { principal, requestId: payload.rid };
  } catch {
    throw new TalosError(ErrorCode.ASSERTION_INVALID, 'Request did not come through the gateway');
  }
}
