// Session and group event hash chains (talos-domain.md §4.5). Fixes §10.28: every event after the first
// carries `previous_digest` inside its digest preimage, so the chain is cryptographically linked; `ts` must be
// a contract timestamp; `event_data` (e.g. a group name) is kept and hashed instead of being dropped.
import type { JsonValue } from './canonical-json';
import { canonicalDigestHex, isSha256Hex } from './digest';
import { ProtocolError } from './errors';
import { isTimestampMs } from './timestamp';
import { isUuidv7 } from './uuidv7';

export const EVENT_SCHEMA_VERSION = 'v1';
export const EVENT_CHAINS = {
  session: {
    schema_id: 'talos.a2a.session_event',
    subject: 'session_id',
    types: ['session_opened', 'session_accepted', 'session_rotated', 'session_closed'],
  },
  group: {
    schema_id: 'talos.a2a.group_event',
    subject: 'group_id',
    types: ['group_created', 'member_added', 'member_removed', 'group_closed'],
  },
} as const;

export type EventChainKind = keyof typeof EVENT_CHAINS;

export interface ChainEventInput {
  event_id: string;
  /** session_id for session chains, group_id for group chains. */
  session_id?: string;
  group_id?: string;
  actor_id: string;
  target_id?: string;
  event_type: string;
  ts: string;
  event_data?: { [key: string]: JsonValue };
}

export interface ChainEvent extends ChainEventInput {
  previous_digest?: string;
  event_digest: string;
}

function invalid(message: string): never {
  throw new ProtocolError('A2A_EVENT_INVALID', message);
}

function preimage(kind: EventChainKind, e: ChainEventInput, previousDigest: string | undefined): Record<string, JsonValue> {
  const chain = EVENT_CHAINS[kind];
  const subject = e[chain.subject];
  if (!isUuidv7(e.event_id)) invalid('event_id must be a UUIDv7');
  if (typeof subject !== 'string' || subject.length === 0) invalid(`${chain.subject} required`);
  if (typeof e.actor_id !== 'string' || e.actor_id.length === 0) invalid('actor_id required');
  if (!(chain.types as readonly string[]).includes(e.event_type)) invalid(`unknown ${kind} event type`);
  if (!isTimestampMs(e.ts)) invalid('ts must be YYYY-MM-DDTHH:MM:SS.mmmZ');
  const out: Record<string, JsonValue> = {
    schema_id: chain.schema_id,
    schema_version: EVENT_SCHEMA_VERSION,
    event_id: e.event_id,
    [chain.subject]: subject,
    actor_id: e.actor_id,
    event_type: e.event_type,
    ts: e.ts,
  };
  if (e.target_id !== undefined) out.target_id = e.target_id;
  if (e.event_data !== undefined) out.event_data = e.event_data;
  if (previousDigest !== undefined) out.previous_digest = previousDigest;
  return out;
}

export function chainEventDigest(kind: EventChainKind, event: ChainEventInput, previousDigest: string | undefined): string {
  return canonicalDigestHex(preimage(kind, event, previousDigest));
}

/** Seal the next event of a chain; `previous` is the last stored event (undefined for the genesis event). */
export function appendChainEvent(kind: EventChainKind, previous: ChainEvent | undefined, event: ChainEventInput): ChainEvent {
  const subject = EVENT_CHAINS[kind].subject;
  if (previous && previous[subject] !== event[subject]) invalid(`event belongs to another ${kind}`);
  const previousDigest = previous?.event_digest;
  const sealed: ChainEvent = { ...event, event_digest: chainEventDigest(kind, event, previousDigest) };
  if (previousDigest !== undefined) sealed.previous_digest = previousDigest;
  return sealed;
}

/** Verify a whole chain in order (index = seq, starting at 0). */
export function verifyEventChain(kind: EventChainKind, events: readonly ChainEvent[]): void {
  const subject = EVENT_CHAINS[kind].subject;
  let previous: ChainEvent | undefined;
  for (let seq = 0; seq < events.length; seq++) {
    const e = events[seq];
    if (!isSha256Hex(e.event_digest)) invalid('event_digest must be sha256 hex');
    if (previous === undefined ? e.previous_digest !== undefined : e.previous_digest !== previous.event_digest) {
      throw new ProtocolError('A2A_EVENT_CHAIN_BROKEN', `event ${seq} does not link to its predecessor`);
    }
    if (previous && previous[subject] !== e[subject]) throw new ProtocolError('A2A_EVENT_CHAIN_BROKEN', `event ${seq} belongs to another ${kind}`);
    const { previous_digest, event_digest, ...input } = e;
    if (chainEventDigest(kind, input, previous_digest) !== event_digest) {
      throw new ProtocolError('A2A_EVENT_CHAIN_BROKEN', `event ${seq} digest does not match its content`);
    }
    previous = e;
  }
}
