// One logger (pino) with redaction: tokens, secrets, keys and ciphertext never reach a log line.
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers',
  '*.headers',
  'token',
  '*.token',
  'assertion',
  '*.assertion',
  'secret',
  '*.secret',
  'value',
  '*.value',
  'plaintext',
  '*.plaintext',
  'ciphertext',
  '*.ciphertext',
  'privateKey',
  '*.privateKey',
  'connectionParams',
  '*.connectionParams',
  'variables',
  '*.variables',
];

export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger {
  const options = { level, base, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
