// TGA execution log: the Phase 9.3 Moore machine, append rules and crash recovery (talos-domain.md §3.2–3.3;
// vector tga/state_transition_vectors.json). Decisions written down here:
// - counter field is `sequence_number` (vectors, code and the tga_logs table; the contract's `seq` is the outlier);
// - digests are lowercase hex; genesis `prev_entry_digest` is 64 "0"s (the contract vectors' zero digest);
// - entry digest = sha256 hex of the canonical entry without `entry_digest` (same rule as artifacts' `_digest`);
// - every check also runs on load/replay, including the transition check the reference's Postgres store forgot.
import type { JsonValue } from './canonical-json';
import { canonicalDigestHex, isSha256Hex, ZERO_DIGEST_HEX } from './digest';
import { ProtocolError } from './errors';
import { isTimestampMs } from './timestamp';

export const EXECUTION_LOG_SCHEMA_ID = 'talos.tga.execution_log_entry';
export const EXECUTION_STATE_SCHEMA_ID = 'talos.tga.execution_state';
export const EXECUTION_SCHEMA_VERSION = 'v1';

export type ExecutionStateName = 'PENDING' | 'AUTHORIZED' | 'EXECUTING' | 'COMPLETED' | 'FAILED' | 'DENIED';
export type LogArtifactType = 'action_request' | 'supervisor_decision' | 'tool_call' | 'tool_effect';

/** Legal transitions (§3.2) and the artifact each one records. */
const TRANSITIONS: Record<string, LogArtifactType> = {
  'PENDING>PENDING': 'action_request',
  'PENDING>AUTHORIZED': 'supervisor_decision',
  'PENDING>DENIED': 'supervisor_decision',
  'AUTHORIZED>EXECUTING': 'tool_call',
  'EXECUTING>COMPLETED': 'tool_effect',
  'EXECUTING>FAILED': 'tool_effect',
};
const STATES = new Set<string>(['PENDING', 'AUTHORIZED', 'EXECUTING', 'COMPLETED', 'FAILED', 'DENIED']);
export const TERMINAL_STATES: ReadonlySet<ExecutionStateName> = new Set(['COMPLETED', 'FAILED', 'DENIED']);

export interface ExecutionLogEntry {
  schema_id: typeof EXECUTION_LOG_SCHEMA_ID;
  schema_version: typeof EXECUTION_SCHEMA_VERSION;
  trace_id: string;
  principal_id?: string;
  sequence_number: number;
  prev_entry_digest: string;
  entry_digest: string;
  ts: string;
  from_state: ExecutionStateName;
  to_state: ExecutionStateName;
  artifact_type: LogArtifactType;
  artifact_id: string;
  artifact_digest: string;
  artifact_data?: { [key: string]: JsonValue };
  tool_call_id?: string;
  idempotency_key?: string;
}

/** Derived state after the last accepted entry. */
export interface ExecutionLogState {
  trace_id: string;
  /** artifact_id of entry 1 (§3.2). */
  plan_id: string;
  current_state: ExecutionStateName;
  last_sequence_number: number;
  last_entry_digest: string;
  tool_call_id?: string;
  idempotency_key?: string;
  has_effect: boolean;
}

export function executionLogEntryDigest(entry: Omit<ExecutionLogEntry, 'entry_digest'> & { entry_digest?: string }): string {
  const { entry_digest: _ignored, ...rest } = entry;
  return canonicalDigestHex(rest);
}

/** Fill in `entry_digest` for a new entry. */
export function sealExecutionLogEntry(entry: Omit<ExecutionLogEntry, 'entry_digest'>): ExecutionLogEntry {
  return { ...entry, entry_digest: executionLogEntryDigest(entry) };
}

function schemaInvalid(message: string): never {
  throw new ProtocolError('TGA_SCHEMA_INVALID', message);
}

/**
 * Check `entry` against the state after the previous entry (undefined at genesis) and return the new state.
 * Order: shape → sequence (STATE_SEQUENCE_GAP) → link (STATE_CHECKSUM_MISMATCH) → transition
 * (STATE_INVALID_TRANSITION) → tool-call binding → entry digest (STATE_CHECKSUM_MISMATCH). Pure: inputs untouched.
 */
export function appendExecutionLogEntry(state: ExecutionLogState | undefined, entry: ExecutionLogEntry): ExecutionLogState {
  if (entry.schema_id !== EXECUTION_LOG_SCHEMA_ID || entry.schema_version !== EXECUTION_SCHEMA_VERSION) {
    schemaInvalid('not an execution log entry v1');
  }
  if (!Number.isSafeInteger(entry.sequence_number) || entry.sequence_number < 1) schemaInvalid('sequence_number must be ≥ 1');
  if (!STATES.has(entry.from_state) || !STATES.has(entry.to_state)) schemaInvalid('unknown state');
  if (typeof entry.trace_id !== 'string' || entry.trace_id.length === 0) schemaInvalid('trace_id required');
  if (!isTimestampMs(entry.ts)) schemaInvalid('ts must be YYYY-MM-DDTHH:MM:SS.mmmZ');
  if (!isSha256Hex(entry.prev_entry_digest) || !isSha256Hex(entry.entry_digest) || !isSha256Hex(entry.artifact_digest)) {
    schemaInvalid('digests must be sha256 hex');
  }

  const expectedSeq = (state?.last_sequence_number ?? 0) + 1;
  if (entry.sequence_number !== expectedSeq) {
    throw new ProtocolError('STATE_SEQUENCE_GAP', `expected sequence ${expectedSeq}, got ${entry.sequence_number}`);
  }
  if (entry.prev_entry_digest !== (state?.last_entry_digest ?? ZERO_DIGEST_HEX)) {
    throw new ProtocolError('STATE_CHECKSUM_MISMATCH', 'prev_entry_digest does not match the previous entry');
  }
  if (state && entry.trace_id !== state.trace_id) throw new ProtocolError('TGA_HASH_CHAIN_BROKEN', 'entry belongs to another trace');

  const current: ExecutionStateName = state?.current_state ?? 'PENDING';
  const genesis = state === undefined;
  const recorded = TRANSITIONS[`${entry.from_state}>${entry.to_state}`];
  const isGenesisTransition = entry.from_state === 'PENDING' && entry.to_state === 'PENDING';
  if (entry.from_state !== current || recorded !== entry.artifact_type || isGenesisTransition !== genesis) {
    throw new ProtocolError('STATE_INVALID_TRANSITION', `illegal transition ${entry.from_state} → ${entry.to_state} (${entry.artifact_type})`);
  }

  let toolCallId = state?.tool_call_id;
  let idempotencyKey = state?.idempotency_key;
  if (entry.artifact_type === 'tool_call' || entry.artifact_type === 'tool_effect') {
    if (typeof entry.tool_call_id !== 'string' || entry.tool_call_id.length === 0) {
      throw new ProtocolError('MISSING_TOOL_CALL_ID', `${entry.artifact_type} entry needs tool_call_id`);
    }
    if (entry.artifact_type === 'tool_call') {
      toolCallId = entry.tool_call_id;
      idempotencyKey = entry.idempotency_key;
    } else if (entry.tool_call_id !== toolCallId) {
      throw new ProtocolError('TOOL_CALL_ID_MISMATCH', 'effect names another tool call');
    }
  }

  if (executionLogEntryDigest(entry) !== entry.entry_digest) {
    throw new ProtocolError('STATE_CHECKSUM_MISMATCH', 'entry_digest does not match the entry');
  }
  const next: ExecutionLogState = {
    trace_id: entry.trace_id,
    plan_id: state?.plan_id ?? entry.artifact_id,
    current_state: entry.to_state,
    last_sequence_number: entry.sequence_number,
    last_entry_digest: entry.entry_digest,
    has_effect: entry.artifact_type === 'tool_effect' || (state?.has_effect ?? false),
  };
  if (toolCallId !== undefined) next.tool_call_id = toolCallId;
  if (idempotencyKey !== undefined) next.idempotency_key = idempotencyKey;
  return next;
}

/** Re-verify a whole log from genesis. */
export function replayExecutionLog(entries: readonly ExecutionLogEntry[]): ExecutionLogState | undefined {
  let state: ExecutionLogState | undefined;
  for (const entry of entries) state = appendExecutionLogEntry(state, entry);
  return state;
}

/** Contract `execution_state` record with its `state_digest`. */
export function executionStateRecord(state: ExecutionLogState) {
  const body = {
    schema_id: EXECUTION_STATE_SCHEMA_ID,
    schema_version: EXECUTION_SCHEMA_VERSION,
    trace_id: state.trace_id,
    plan_id: state.plan_id,
    current_state: state.current_state,
    last_sequence_number: state.last_sequence_number,
    last_entry_digest: state.last_entry_digest,
  };
  return { ...body, state_digest: canonicalDigestHex(body) };
}

export type RecoveryAction = 'RE_DISPATCH_SAME_TOOL_CALL' | 'REPLAY_ONLY_NO_DISPATCH';

export interface RecoveryPlan {
  trace_id: string;
  recovered_state: ExecutionStateName;
  recovered_from_seq: number;
  action: RecoveryAction;
  /** True when the caller must re-send the same tool call (same tool_call_id and idempotency_key). */
  re_dispatch: boolean;
  tool_call_id?: string;
  idempotency_key?: string;
}

/** Crash recovery (§3.3): re-verify the chain, then re-dispatch only a tool call that has no effect yet. */
export function planRecovery(entries: readonly ExecutionLogEntry[]): RecoveryPlan {
  if (entries.length === 0) throw new ProtocolError('STATE_RECOVERY_FAILED', 'no log entries to recover from');
  const state = replayExecutionLog(entries) as ExecutionLogState;
  const reDispatch = state.current_state === 'EXECUTING' && !state.has_effect;
  const plan: RecoveryPlan = {
    trace_id: state.trace_id,
    recovered_state: state.current_state,
    recovered_from_seq: state.last_sequence_number,
    action: reDispatch ? 'RE_DISPATCH_SAME_TOOL_CALL' : 'REPLAY_ONLY_NO_DISPATCH',
    re_dispatch: reDispatch,
  };
  if (reDispatch) {
    plan.tool_call_id = state.tool_call_id;
    if (state.idempotency_key !== undefined) plan.idempotency_key = state.idempotency_key;
  }
  return plan;
}
