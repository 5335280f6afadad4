// Key material for bearer tokens and principal assertions (Ed25519 JWKs). Production reads them
// from the environment; development/all-in-one generates a set once and keeps it under stateDir.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import { ConfigError, type Config } from './config';

export interface KeyMaterial {
  /** Private key that signs bearer tokens (policy service only). */
  tokenSigningKey?: { key: CryptoKey; kid: string };
  /** Public JWKS that verifies bearer tokens (gateway). */
  tokenJwks: { keys: JWK[] };
  /** Private key that signs principal assertions (gateway only). */
  assertionSigningKey?: { key: CryptoKey; kid: string };
  /** Public key subgraphs verify assertions with. */
  assertionVerifyKey: CryptoKey;
}

interface StoredKeys {
  token: { private: JWK; public: JWK };
  assertion: { private: JWK; public: JWK };
}

async function newPair(): Promise<{ private: JWK; public: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  return {
    private: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' },
    public: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' },
  };
}

/** Development keys under `<stateDir>/keys.json` (0600), generated on first start. */
async function developmentKeys(stateDir: string): Promise<StoredKeys> {
  const file = path.join(stateDir, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
  mkdirSync(stateDir, { recursive: true });
  const keys: StoredKeys = { token: await newPair(), assertion: await newPair() };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

async function importPrivate(jwk: JWK, variable: string): Promise<{ key: CryptoKey; kid: string }> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d) throw new ConfigError(variable, 'must be an Ed25519 private JWK (kty OKP, crv Ed25519, d)');
  try {
    return { key: (await importJWK(jwk, 'EdDSA')) as CryptoKey, kid: jwk.kid ?? 'default' };
  } catch {
    throw new ConfigError(variable, 'is not a usable Ed25519 private key');
  }
}

async function importPublic(jwk: JWK, variable: string): Promise<CryptoKey> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x) throw new ConfigError(variable, 'must be an Ed25519 public JWK');
  const { d: _private, ...pub } = jwk;
  try {
    return (await importJWK(pub, 'EdDSA')) as CryptoKey;
  } catch {
    throw new ConfigError(variable, 'is not a usable Ed25519 public key');
  }
}

export interface KeyNeeds {
  signTokens?: boolean;
  signAssertions?: boolean;
}

/**
 * Loads what a service needs and fails fast naming the missing variable. Without any configured
 * key, development mode generates and persists a set (never in production).
 */
export async function loadKeyMaterial(config: Config, needs: KeyNeeds = {}): Promise<KeyMaterial> {
  const configured = config.tokenPublicJwks || config.assertionPublicKey || config.tokenSigningKey || config.assertionPrivateKey;
  if (!configured && config.env !== 'production') {
    const dev = await developmentKeys(config.stateDir);
    return {
      tokenSigningKey: await importPrivate(dev.token.private, 'keys.json token'),
      tokenJwks: { keys: [dev.token.public] },
      assertionSigningKey: await importPrivate(dev.assertion.private, 'keys.json assertion'),
      assertionVerifyKey: await importPublic(dev.assertion.public, 'keys.json assertion'),
    };
  }
  if (!config.assertionPublicKey) throw new ConfigError('TALOS_ASSERTION_PUBLIC_KEY', 'is required');
  const material: KeyMaterial = {
    tokenJwks: { keys: [] },
    assertionVerifyKey: await importPublic(JSON.parse(config.assertionPublicKey) as JWK, 'TALOS_ASSERTION_PUBLIC_KEY'),
  };
  if (config.tokenPublicJwks) {
    const jwks = JSON.parse(config.tokenPublicJwks) as { keys?: JWK[] };
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new ConfigError('TALOS_TOKEN_PUBLIC_JWKS', 'must be a JWKS ({"keys":[...]}) with at least one key');
    for (const k of jwks.keys) await importPublic(k, 'TALOS_TOKEN_PUBLIC_JWKS');
    material.tokenJwks = { keys: jwks.keys.map(({ d: _d, ...pub }) => pub) };
  }
  if (needs.signTokens) {
    if (!config.tokenSigningKey) throw new ConfigError('TALOS_TOKEN_SIGNING_KEY', 'is required by the policy service');
    material.tokenSigningKey = await importPrivate(JSON.parse(config.tokenSigningKey) as JWK, 'TALOS_TOKEN_SIGNING_KEY');
  }
  if (needs.signAssertions) {
    if (!config.assertionPrivateKey) throw new ConfigError('TALOS_ASSERTION_PRIVATE_KEY', 'is required by the gateway');
    if (material.tokenJwks.keys.length === 0) throw new ConfigError('TALOS_TOKEN_PUBLIC_JWKS', 'is required by the gateway');
    material.assertionSigningKey = await importPrivate(JSON.parse(config.assertionPrivateKey) as JWK, 'TALOS_ASSERTION_PRIVATE_KEY');
  }
  return material;
}

/** A fresh key set as environment variables, for `talos keys` (production bootstrap). */
export async function generateKeyEnv(): Promise<Record<string, string>> {
  const token = await newPair();
  const assertion = await newPair();
  return {
    TALOS_TOKEN_SIGNING_KEY: JSON.stringify(token.private),
    TALOS_TOKEN_PUBLIC_JWKS: JSON.stringify({ keys: [token.public] }),
    TALOS_ASSERTION_PRIVATE_KEY: JSON.stringify(assertion.private),
    TALOS_ASSERTION_PUBLIC_KEY: JSON.stringify(assertion.public),
  };
}
