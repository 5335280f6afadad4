// Event-stream cursors and ordering (talos-domain.md §4.4; vectors cursor_derivation.json, ordering.json):
// cursor = base64url(utf8("{unix_seconds}:{uuidv7}")), seconds in canonical base 10; order is
// timestamp DESC, then event id DESC. An invalid cursor is an error, never "start from the beginning" (§10.31).
import { b64uDecode, b64uEncode } from './base64url';
import { ProtocolError } from './errors';
import { isUuidv7 } from './uuidv7';

const SECONDS_RE = /^(0|[1-9][0-9]*)$/;

export interface EventPosition {
  timestamp: number;
  event_id: string;
}

function checkPosition(timestamp: number, eventId: string): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new ProtocolError('CURSOR_INVALID', 'bad cursor timestamp');
  if (!isUuidv7(eventId)) throw new ProtocolError('CURSOR_INVALID', 'bad cursor event id');
}

export function encodeEventCursor(pos: EventPosition): string {
  checkPosition(pos.timestamp, pos.event_id);
  return b64uEncode(Buffer.from(`${pos.timestamp}:${pos.event_id}`, 'utf8'));
}

export function decodeEventCursor(cursor: string): EventPosition {
  let text: string;
  try {
    text = b64uDecode(cursor).toString('utf8');
  } catch {
    throw new ProtocolError('CURSOR_INVALID', 'cursor is not base64url');
  }
  const sep = text.indexOf(':');
  const ts = text.slice(0, sep);
  const eventId = text.slice(sep + 1);
  if (sep < 0 || !SECONDS_RE.test(ts)) throw new ProtocolError('CURSOR_INVALID', 'bad cursor timestamp');
  const timestamp = Number(ts);
  checkPosition(timestamp, eventId);
  return { timestamp, event_id: eventId };
}

/** Sort comparator for newest-first streams: −1 when `a` comes before `b`. */
export function compareEventPositions(a: EventPosition, b: EventPosition): -1 | 0 | 1 {
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp ? -1 : 1;
  if (a.event_id === b.event_id) return 0;
  return a.event_id > b.event_id ? -1 : 1;
}
