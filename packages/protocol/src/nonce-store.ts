// Pluggable replay tracking for HTTP attestation nonces and capability nonces. Production stores live in
// Redis or Postgres (a subgraph concern); this package only defines the contract and a bounded in-memory one.
import { ProtocolError } from './errors';

export interface NonceStore {
  /**
   * Record `key` until `expiresAtSeconds` (unix seconds). Returns true when the key was not seen before (and is
   * now reserved), false when it is a replay. Must be atomic (e.g. Redis SET NX EX).
   */
  checkAndStore(key: string, expiresAtSeconds: number, nowSeconds: number): boolean | Promise<boolean>;
}

/** In-memory store for tests and single-process tools; owned by its creator, never shared implicitly. */
export class MemoryNonceStore implements NonceStore {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  checkAndStore(key: string, expiresAtSeconds: number, nowSeconds: number): boolean {
    const expiry = this.seen.get(key);
    if (expiry !== undefined && expiry > nowSeconds) return false;
    if (this.seen.size >= this.maxEntries) {
      for (const [k, exp] of this.seen) if (exp <= nowSeconds) this.seen.delete(k);
      // Fail closed rather than forget live nonces.
      if (this.seen.size >= this.maxEntries) throw new ProtocolError('NONCE_STORE_FULL', 'nonce store is full');
    }
    this.seen.set(key, expiresAtSeconds);
    return true;
  }
}
