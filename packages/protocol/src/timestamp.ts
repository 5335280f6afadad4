// Contract timestamps: RFC 3339 UTC with exactly three fractional digits and "Z" (talos-domain.md §0.1).

export const TIMESTAMP_MS_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

export function isTimestampMs(s: unknown): s is string {
  if (typeof s !== 'string' || !TIMESTAMP_MS_RE.test(s)) return false;
  // Round trip rejects impossible dates such as Feb 30, which Date.parse silently rolls over.
  const ms = Date.parse(s);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === s;
}

/** Format a Date (default now) as YYYY-MM-DDTHH:MM:SS.mmmZ. */
export function timestampMs(date: Date = new Date()): string {
  return date.toISOString();
}
