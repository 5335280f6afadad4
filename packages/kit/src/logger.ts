// One logger (pino) with redaction: tokens, secrets, keys and ciphertext never reach a log line.
import pino, { type Logger } from 'pino';

export type { Logger };

/** Field names whose values never reach a log line, at the top level and two levels down. */
const SENSITIVE = [
  'authorization',
  'cookie',
  'headers',
  'token',
  'assertion',
  'secret',
  'value',
  'plaintext',
  'ciphertext',
  'privateKey',
  'kek',
  'connectionParams',
  'variables',
];
const REDACT = SENSITIVE.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger {
  const options = { level, base, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
