// One error type for the whole protocol package. Callers branch on `code`; codes are stable and match the
// reference lists (talos-domain.md §0.4, §2.6, §3.6, §4.9) where the reference names one. Messages never carry
// key material, plaintext or AEAD details.

export const PROTOCOL_ERROR_CODES = [
  // §0: encodings, canonical JSON, ids
  'TALOS_INVALID_INPUT',
  'JSON_PARSE_ERROR',
  'JSON_DUPLICATE_KEY',
  'CANONICAL_JSON_INVALID',
  'HASH_POLICY_VIOLATION',
  'BASE64URL_INVALID',
  'UUID_INVALID',
  'CURSOR_INVALID',
  // §0.4: HTTP attestation and replay
  'AUTH_INVALID',
  'REPLAY_DETECTED',
  'SCHEMA_VALIDATION_ERROR',
  'NONCE_STORE_FULL',
  // §2.6: secret envelopes
  'VALIDATION_ERROR',
  'KEK_NOT_LOADED',
  'ENVELOPE_INVALID',
  'DECRYPT_FAILED',
  // §3.6: capabilities
  'CONFIG_ERROR',
  'CAPABILITY_INVALID',
  'SIGNATURE_INVALID',
  'EXPIRED',
  'NOT_BEFORE',
  'AUDIENCE_MISMATCH',
  'TOOL_UNAUTHORIZED',
  'READ_ONLY_VIOLATION',
  'TGA_CONSTRAINT_VIOLATION',
  // §3.1–3.3: TGA artifacts and execution log
  'TGA_SCHEMA_INVALID',
  'TGA_DIGEST_MISMATCH',
  'TGA_HASH_CHAIN_BROKEN',
  'TGA_CONSTRAINT_MISMATCH',
  'STATE_INVALID_TRANSITION',
  'STATE_SEQUENCE_GAP',
  'STATE_CHECKSUM_MISMATCH',
  'STATE_RECOVERY_FAILED',
  'MISSING_TOOL_CALL_ID',
  'TOOL_CALL_ID_MISMATCH',
  // §4.3–4.5: frames and event chains
  'A2A_FRAME_SCHEMA_INVALID',
  'A2A_FRAME_SIZE_EXCEEDED',
  'A2A_FRAME_CIPHERTEXT_HASH_MISMATCH',
  'A2A_FRAME_DIGEST_MISMATCH',
  'A2A_FRAME_SEQUENCE_TOO_FAR',
  'A2A_EVENT_INVALID',
  'A2A_EVENT_CHAIN_BROKEN',
  // §4.7: X3DH + Double Ratchet
  'TALOS_RATCHET_ERROR',
  'TALOS_CRYPTO_ERROR',
  'TALOS_FRAME_INVALID',
  'TALOS_PROTOCOL_MISMATCH',
  'SESSION_STATE_INVALID',
] as const;

export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

export function isProtocolError(err: unknown, code?: ProtocolErrorCode): err is ProtocolError {
  return err instanceof ProtocolError && (code === undefined || err.code === code);
}
