// Session establishment (talos-domain.md §4.7, §10.33).
// Protocol 1 — Talos v1.1.0 interop, exactly as the Python SDK: dh = X25519(EK_a, SPK_b),
//   rk0 = HKDF(dh, info "x3dh-init", 32), the initiator's ephemeral key doubles as its first ratchet key.
//   Only the prekey signature authenticates anything.
// Protocol 2 — full X3DH (Signal X3DH §3.3): DH1 = DH(IK_a, SPK_b), DH2 = DH(EK_a, IK_b), DH3 = DH(EK_a, SPK_b),
//   DH4 = DH(EK_a, OPK_b) when a one-time prekey is used; SK = HKDF(0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4],
//   info "talos-x3dh-v2"). Identity keys are Ed25519 (signing) plus an X25519 key signed by them (node:crypto
//   has no XEdDSA); AD = IK_a ‖ IK_b (Ed25519) prefixes every AAD; the initiator's first ratchet key is fresh.
import { randomFillSync } from 'node:crypto';
import { b64uDecode, b64uEncode } from '../base64url';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify, type Ed25519KeyPair } from '../ed25519';
import { ProtocolError } from '../errors';
import { hkdfSha256, INFO_X3DH_INIT, INFO_X3DH_V2, kdfRk } from './kdf';
import { RatchetSession } from './session';
import { generateX25519KeyPair, x25519, x25519KeyPairFromPrivate, type X25519KeyPair } from './x25519';

const IDENTITY_DH_CONTEXT = Buffer.from('talos.x3dh.v2.identity_dh', 'utf8');
const SIGNED_PREKEY_CONTEXT = Buffer.from('talos.x3dh.v2.signed_prekey', 'utf8');
const X3DH_F = Buffer.alloc(32, 0xff);

function keyField(value: unknown, what: string): Buffer {
  let raw: Buffer | undefined;
  try {
    raw = typeof value === 'string' ? b64uDecode(value) : undefined;
  } catch {
    raw = undefined;
  }
  if (raw === undefined || raw.length !== 32) throw new ProtocolError('TALOS_INVALID_INPUT', `${what} must be a base64url 32-byte key`);
  return raw;
}

function signatureValid(publicKey: Buffer, message: Buffer, signature: unknown): boolean {
  let sig: Buffer;
  try {
    sig = b64uDecode(signature as string);
  } catch {
    return false;
  }
  return ed25519Verify(publicKey, message, sig);
}

const keyPair = (priv: Uint8Array | undefined): X25519KeyPair => (priv ? x25519KeyPairFromPrivate(priv) : generateX25519KeyPair());

// ---------------------------------------------------------------------------------------------------------
// Protocol 1: v1.1.0 interop

/** Reference prekey bundle: prekey_signature is Ed25519 over the raw 32-byte signed_prekey. */
export interface PrekeyBundleV1 {
  identity_key: string;
  signed_prekey: string;
  prekey_signature: string;
  one_time_prekey?: string | null;
}

export function createPrekeyBundleV1(identity: Ed25519KeyPair, signedPrekey: X25519KeyPair): PrekeyBundleV1 {
  return {
    identity_key: b64uEncode(identity.publicKey),
    signed_prekey: b64uEncode(signedPrekey.publicKey),
    prekey_signature: b64uEncode(ed25519Sign(identity.privateKey, signedPrekey.publicKey)),
  };
}

export function verifyPrekeyBundleV1(bundle: PrekeyBundleV1): { identityKey: Buffer; signedPrekey: Buffer } {
  const identityKey = keyField(bundle.identity_key, 'identity_key');
  const signedPrekey = keyField(bundle.signed_prekey, 'signed_prekey');
  if (!signatureValid(identityKey, signedPrekey, bundle.prekey_signature)) {
    throw new ProtocolError('SIGNATURE_INVALID', 'prekey bundle signature invalid');
  }
  return { identityKey, signedPrekey };
}

/** Initiator side; the first message's header.dh is the ephemeral public key. */
export function initiateSessionV1(bundle: PrekeyBundleV1, opts: { ephemeralPrivateKey?: Uint8Array } = {}): RatchetSession {
  const { signedPrekey } = verifyPrekeyBundleV1(bundle);
  const ek = keyPair(opts.ephemeralPrivateKey);
  const dh = x25519(ek.privateKey, signedPrekey);
  const rk0 = hkdfSha256(dh, INFO_X3DH_INIT, 32);
  const { rk, ck } = kdfRk(rk0, dh);
  return new RatchetSession({ protocol: 1, ad: Buffer.alloc(0), rk, dhs: ek, dhr: signedPrekey, cks: ck });
}

/** Responder side, from the initiator's ephemeral key (= header.dh of its first message). */
export function respondSessionV1(signedPrekey: X25519KeyPair, initiatorEphemeralKey: string | Uint8Array): RatchetSession {
  const ek = typeof initiatorEphemeralKey === 'string' ? keyField(initiatorEphemeralKey, 'ephemeral key') : Buffer.from(initiatorEphemeralKey);
  const rk0 = hkdfSha256(x25519(signedPrekey.privateKey, ek), INFO_X3DH_INIT, 32);
  return new RatchetSession({ protocol: 1, ad: Buffer.alloc(0), rk: rk0, dhs: signedPrekey });
}

// ---------------------------------------------------------------------------------------------------------
// Protocol 2: full X3DH

export interface IdentityKeys {
  signing: Ed25519KeyPair;
  dh: X25519KeyPair;
}

/** Public half of an identity: the X25519 identity key is bound to the Ed25519 one by a signature. */
export interface PublicIdentity {
  identity_key: string;
  identity_dh_key: string;
  identity_dh_signature: string;
}

export function createIdentityKeys(opts: { seed?: Uint8Array; dhPrivateKey?: Uint8Array } = {}): IdentityKeys {
  const seed = opts.seed ?? randomFillSync(Buffer.alloc(32));
  return { signing: ed25519KeyPairFromSeed(seed), dh: keyPair(opts.dhPrivateKey) };
}

export function publicIdentity(id: IdentityKeys): PublicIdentity {
  return {
    identity_key: b64uEncode(id.signing.publicKey),
    identity_dh_key: b64uEncode(id.dh.publicKey),
    identity_dh_signature: b64uEncode(ed25519Sign(id.signing.privateKey, Buffer.concat([IDENTITY_DH_CONTEXT, id.dh.publicKey]))),
  };
}

function verifyIdentity(p: PublicIdentity): { identityKey: Buffer; identityDhKey: Buffer } {
  const identityKey = keyField(p.identity_key, 'identity_key');
  const identityDhKey = keyField(p.identity_dh_key, 'identity_dh_key');
  if (!signatureValid(identityKey, Buffer.concat([IDENTITY_DH_CONTEXT, identityDhKey]), p.identity_dh_signature)) {
    throw new ProtocolError('SIGNATURE_INVALID', 'identity DH key signature invalid');
  }
  return { identityKey, identityDhKey };
}

export interface PrekeyBundleV2 extends PublicIdentity {
  version: 2;
  signed_prekey: string;
  /** Ed25519 over "talos.x3dh.v2.signed_prekey" ‖ signed_prekey. */
  prekey_signature: string;
  one_time_prekey?: string;
  one_time_prekey_id?: string;
}

export interface OneTimePrekey {
  id: string;
  keyPair: X25519KeyPair;
}

export function createPrekeyBundleV2(id: IdentityKeys, signedPrekey: X25519KeyPair, oneTime?: OneTimePrekey): PrekeyBundleV2 {
  const bundle: PrekeyBundleV2 = {
    version: 2,
    ...publicIdentity(id),
    signed_prekey: b64uEncode(signedPrekey.publicKey),
    prekey_signature: b64uEncode(ed25519Sign(id.signing.privateKey, Buffer.concat([SIGNED_PREKEY_CONTEXT, signedPrekey.publicKey]))),
  };
  if (oneTime) {
    bundle.one_time_prekey = b64uEncode(oneTime.keyPair.publicKey);
    bundle.one_time_prekey_id = oneTime.id;
  }
  return bundle;
}

export function verifyPrekeyBundleV2(bundle: PrekeyBundleV2) {
  if (bundle.version !== 2) throw new ProtocolError('TALOS_PROTOCOL_MISMATCH', 'not a version 2 prekey bundle');
  const identity = verifyIdentity(bundle);
  const signedPrekey = keyField(bundle.signed_prekey, 'signed_prekey');
  if (!signatureValid(identity.identityKey, Buffer.concat([SIGNED_PREKEY_CONTEXT, signedPrekey]), bundle.prekey_signature)) {
    throw new ProtocolError('SIGNATURE_INVALID', 'signed prekey signature invalid');
  }
  const oneTimePrekey = bundle.one_time_prekey === undefined ? undefined : keyField(bundle.one_time_prekey, 'one_time_prekey');
  if ((oneTimePrekey === undefined) !== (bundle.one_time_prekey_id === undefined)) {
    throw new ProtocolError('TALOS_INVALID_INPUT', 'one-time prekey and its id go together');
  }
  return { ...identity, signedPrekey, oneTimePrekey };
}

/** What the initiator sends with (or before) its first ratchet message. */
export interface PrekeyMessageV2 extends PublicIdentity {
  version: 2;
  ephemeral_key: string;
  /** The responder's signed prekey that was used. */
  signed_prekey: string;
  one_time_prekey_id?: string;
}

function sharedSecret(dhs: Buffer[]): Buffer {
  return hkdfSha256(Buffer.concat([X3DH_F, ...dhs]), INFO_X3DH_V2, 32);
}

export function initiateSessionV2(
  id: IdentityKeys,
  bundle: PrekeyBundleV2,
  opts: { ephemeralPrivateKey?: Uint8Array; ratchetPrivateKey?: Uint8Array } = {},
): { session: RatchetSession; prekeyMessage: PrekeyMessageV2 } {
  const peer = verifyPrekeyBundleV2(bundle);
  const ek = keyPair(opts.ephemeralPrivateKey);
  const dhs = [
    x25519(id.dh.privateKey, peer.signedPrekey),
    x25519(ek.privateKey, peer.identityDhKey),
    x25519(ek.privateKey, peer.signedPrekey),
  ];
  if (peer.oneTimePrekey) dhs.push(x25519(ek.privateKey, peer.oneTimePrekey));
  const sk = sharedSecret(dhs);
  const ratchet = keyPair(opts.ratchetPrivateKey);
  const { rk, ck } = kdfRk(sk, x25519(ratchet.privateKey, peer.signedPrekey));
  const session = new RatchetSession({
    protocol: 2,
    ad: Buffer.concat([id.signing.publicKey, peer.identityKey]),
    rk,
    dhs: ratchet,
    dhr: peer.signedPrekey,
    cks: ck,
  });
  const prekeyMessage: PrekeyMessageV2 = {
    version: 2,
    ...publicIdentity(id),
    ephemeral_key: b64uEncode(ek.publicKey),
    signed_prekey: bundle.signed_prekey,
  };
  if (bundle.one_time_prekey_id !== undefined) prekeyMessage.one_time_prekey_id = bundle.one_time_prekey_id;
  return { session, prekeyMessage };
}

/**
 * Responder side. The caller looks up the signed prekey named in the message and the one-time prekey by id,
 * and must delete that one-time prekey afterwards (single use is what gives it its value).
 */
export function respondSessionV2(
  id: IdentityKeys,
  signedPrekey: X25519KeyPair,
  oneTimePrekey: X25519KeyPair | undefined,
  message: PrekeyMessageV2,
): RatchetSession {
  if (message.version !== 2) throw new ProtocolError('TALOS_PROTOCOL_MISMATCH', 'not a version 2 prekey message');
  const peer = verifyIdentity(message);
  const ek = keyField(message.ephemeral_key, 'ephemeral_key');
  if (!keyField(message.signed_prekey, 'signed_prekey').equals(signedPrekey.publicKey)) {
    throw new ProtocolError('TALOS_INVALID_INPUT', 'prekey message names another signed prekey');
  }
  if ((message.one_time_prekey_id === undefined) !== (oneTimePrekey === undefined)) {
    throw new ProtocolError('TALOS_INVALID_INPUT', 'one-time prekey missing or unexpected');
  }
  const dhs = [
    x25519(signedPrekey.privateKey, peer.identityDhKey),
    x25519(id.dh.privateKey, ek),
    x25519(signedPrekey.privateKey, ek),
  ];
  if (oneTimePrekey) dhs.push(x25519(oneTimePrekey.privateKey, ek));
  return new RatchetSession({
    protocol: 2,
    ad: Buffer.concat([peer.identityKey, id.signing.publicKey]),
    rk: sharedSecret(dhs),
    dhs: signedPrekey,
  });
}
