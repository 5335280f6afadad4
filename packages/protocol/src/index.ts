// @talos/protocol: pure Talos protocol code (no I/O, no globals). See README.md for the decisions.
export { ProtocolError, isProtocolError, PROTOCOL_ERROR_CODES, type ProtocolErrorCode } from './errors';

// §0 encodings, canonical JSON, ids, digests
export { canonicalize, canonicalJsonBytes, canonicalizeForHash, MAX_JSON_DEPTH, type JsonValue, type JsonPrimitive } from './canonical-json';
export { parseStrictJson } from './strict-json';
export { b64uEncode, b64uDecode, isB64u, b64uDecodedLength } from './base64url';
export { sha256, sha256Hex, canonicalDigestHex, isSha256Hex, digestEquals, SHA256_HEX_RE, ZERO_DIGEST_HEX } from './digest';
export { uuidv7, isUuidv7, uuidv7Timestamp, UUIDV7_RE, type Uuidv7Options } from './uuidv7';
export { isTimestampMs, timestampMs, TIMESTAMP_MS_RE } from './timestamp';
export { encodeEventCursor, decodeEventCursor, compareEventPositions, type EventPosition } from './cursor';
export { auditEventHash, auditEventCanonicalBytes, auditClientIpFields, redactAuditMeta, CLIENT_IP_HASH_ALG, type AuditEvent, type IpHashKey } from './audit';

// §0.4 signatures and HTTP attestation
export {
  ed25519KeyPairFromSeed,
  ed25519PrivateKey,
  ed25519PublicKey,
  ed25519Sign,
  ed25519Verify,
  verifyCanonicalSignature,
  didKeyFromEd25519,
  base58btcEncode,
  ED25519_SIGNATURE_BYTES,
  type Ed25519KeyPair,
} from './ed25519';
export { MemoryNonceStore, type NonceStore } from './nonce-store';
export {
  httpAttestationSigningInput,
  signHttpRequest,
  verifyHttpAttestation,
  ATTESTATION_WINDOW_SECONDS,
  ATTESTATION_NONCE_TTL_SECONDS,
  type AttestedRequest,
  type AttestationVerifyOptions,
} from './attestation';

// §2.2 secret envelopes
export {
  encryptEnvelope,
  decryptEnvelope,
  secretAad,
  decodeKek,
  KEK_ID_RE,
  SECRET_AAD_PREFIX,
  type SecretEnvelope,
  type Keyring,
  type EncryptEnvelopeOptions,
  type DecryptEnvelopeOptions,
} from './envelope';

// §3.4 capabilities, §3.1–3.3 TGA
export {
  mintCapability,
  verifyCapability,
  checkCapabilityCall,
  validateCapabilityClaims,
  capabilityDigest,
  argsDigest,
  CAPABILITY_AUDIENCE,
  DEFAULT_CLOCK_SKEW_SECONDS,
  MAX_CLOCK_SKEW_SECONDS,
  type CapabilityClaims,
  type CapabilityConstraints,
  type ArgConstraints,
  type ToolCallRequest,
  type MintCapabilityOptions,
  type VerifyCapabilityOptions,
} from './capability';
export {
  tgaArtifactDigest,
  sealTgaArtifact,
  verifyTgaArtifact,
  validateTraceChain,
  TGA_SCHEMA_IDS,
  TGA_DIGEST_ALG,
  type TgaArtifact,
  type TgaArtifactKind,
  type TraceChain,
} from './tga-artifacts';
export {
  appendExecutionLogEntry,
  replayExecutionLog,
  planRecovery,
  executionLogEntryDigest,
  sealExecutionLogEntry,
  executionStateRecord,
  TERMINAL_STATES,
  EXECUTION_LOG_SCHEMA_ID,
  type ExecutionLogEntry,
  type ExecutionLogState,
  type ExecutionStateName,
  type LogArtifactType,
  type RecoveryPlan,
  type RecoveryAction,
} from './tga-log';

// §4.3–4.5 frames and event chains
export {
  buildFrame,
  verifyFrame,
  ciphertextHash,
  frameDigest,
  framePreimage,
  framePreimageBytes,
  checkSenderSequence,
  frameReplayKey,
  A2A_MAX_FRAME_BYTES,
  A2A_MAX_HEADER_BYTES,
  A2A_MAX_FUTURE_DELTA,
  type EncryptedFrame,
  type FrameFields,
  type FramePreimage,
} from './frames';
export { appendChainEvent, chainEventDigest, verifyEventChain, EVENT_CHAINS, type ChainEvent, type ChainEventInput, type EventChainKind } from './event-chain';

// §4.7 X3DH + Double Ratchet
export { hkdfSha256, hmacSha256, kdfRk, kdfCk } from './ratchet/kdf';
export { x25519, x25519KeyPairFromPrivate, generateX25519KeyPair, type X25519KeyPair } from './ratchet/x25519';
export {
  canonicalHeaderBytes,
  canonicalHeaderJson,
  encodeWireMessage,
  decodeWireMessage,
  decodeWireMessageV1_0,
  ratchetMessageToFrameParts,
  ratchetMessageFromFrameParts,
  type RatchetHeader,
  type RatchetMessage,
} from './ratchet/wire';
export { RatchetSession, ratchetEncrypt, ratchetDecrypt, MAX_SKIP, type RatchetProtocolVersion, type EncryptOptions, type DecryptOptions } from './ratchet/session';
export {
  createPrekeyBundleV1,
  verifyPrekeyBundleV1,
  initiateSessionV1,
  respondSessionV1,
  createIdentityKeys,
  publicIdentity,
  createPrekeyBundleV2,
  verifyPrekeyBundleV2,
  initiateSessionV2,
  respondSessionV2,
  type PrekeyBundleV1,
  type PrekeyBundleV2,
  type PrekeyMessageV2,
  type IdentityKeys,
  type PublicIdentity,
  type OneTimePrekey,
} from './ratchet/x3dh';
export { serializeSession, deserializeSession, sealSession, openSession, ratchetStateBlob, envelopeFromRatchetStateBlob, ratchetStateAad } from './ratchet/state-codec';
