// Revoked bearer tokens (reference AUTH_REVOKED): the policy subgraph records a revocation and
// announces it on the bus; every gateway keeps the set of revoked, unexpired token ids — loaded
// from the policy tables at start (so a restart misses nothing) and updated from the bus.
import type { Bus } from './bus';
import type { PrismaClient } from './db';

export const TOKEN_REVOKED_TOPIC = 'tokens.revoked';

export interface TokenRevoked {
  tokenId: string;
  principalId: string;
  /** ISO time after which the token is dead anyway (the entry can be forgotten). */
  expiresAt: string;
}

export class RevocationList {
  private readonly revoked = new Map<string, number>();
  private readonly listeners = new Set<(r: TokenRevoked) => void>();
  private unsubscribe?: () => Promise<void>;

  /** Subscribes first, then loads: a revocation published during the load is not lost. */
  async start(db: PrismaClient, bus: Bus): Promise<void> {
    this.unsubscribe = await bus.subscribe(TOKEN_REVOKED_TOPIC, (m) => this.add(m as TokenRevoked));
    const rows = await db.issuedToken.findMany({
      where: { revokedAt: { not: null }, expiresAt: { gt: new Date() } },
      select: { id: true, principalId: true, expiresAt: true },
    });
    for (const r of rows) this.add({ tokenId: r.id, principalId: r.principalId, expiresAt: r.expiresAt.toISOString() });
  }

  add(r: TokenRevoked): void {
    const expMs = Date.parse(r.expiresAt);
    if (!(expMs > Date.now())) return;
    this.revoked.set(r.tokenId, expMs);
    for (const listener of this.listeners) listener(r);
  }

  isRevoked(tokenId: string | undefined): boolean {
    if (!tokenId) return false;
    const expMs = this.revoked.get(tokenId);
    if (expMs === undefined) return false;
    if (expMs <= Date.now()) {
      this.revoked.delete(tokenId);
      return false;
    }
    return true;
  }

  /** Called for every new revocation (the gateway closes that token's WebSockets). */
  onRevoked(listener: (r: TokenRevoked) => void): void {
    this.listeners.add(listener);
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
    this.listeners.clear();
  }
}
