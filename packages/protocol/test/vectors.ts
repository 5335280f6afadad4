// Test helper: read a copied Talos contracts vector byte for byte (test/vectors/talos, Apache-2.0, see NOTICE).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const VECTORS_DIR = path.join(__dirname, '../../../test/vectors/talos');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadVector<T = any>(relativePath: string): T {
  return JSON.parse(readFileSync(path.join(VECTORS_DIR, relativePath), 'utf8')) as T;
}

export const hex = (s: string): Buffer => Buffer.from(s, 'hex');
export const b64u = (s: string): Buffer => Buffer.from(s, 'base64url');

/** The stable `code` a call throws (ProtocolError), or undefined when it does not throw. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}
