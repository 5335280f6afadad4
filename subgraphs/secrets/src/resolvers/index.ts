// Thin resolvers: parse arguments, call the domain, map rows to the API shape (never a value
// outside revealSecret).
import { busIterator, DateTimeScalar, ErrorCode, TalosError, type SubgraphContext } from '@talos/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { KekRing } from '../domain/keyring';
import type { SecretVault } from '../domain/secret-vault';
import { bad, validateName } from '../domain/secret-vault';
import { isTerminal, PROGRESS_TOPIC, startRotation } from '../domain/rotation';
import { SecretStore, type RotationRow, type SecretRow } from '../store/secret-store';

export interface SecretsServices {
  vault: SecretVault;
  ring: KekRing;
}

type Ctx = SubgraphContext<SecretsServices>;

const count = (n: number | null | undefined, fallback: number, max: number, field: string) => {
  const v = n ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > max) throw bad(`${field} must be between 1 and ${max}`, field);
  return v;
};

/** Current state first, then every newer committed change; ends on a terminal status. */
async function* rotationProgress(ctx: Ctx, id: string): AsyncGenerator<RotationRow> {
  const events = await busIterator<RotationRow>(ctx.runtime.bus, PROGRESS_TOPIC, (e) => e.id === id);
  try {
    let last = await SecretStore.rotation(ctx.runtime.db.write, id);
    if (!last) throw new TalosError(ErrorCode.NOT_FOUND, `No rotation ${id}`, { id });
    yield last;
    if (isTerminal(last)) return;
    for await (const e of events) {
      if (e.batches < last.batches || (e.batches === last.batches && e.status === last.status)) continue;
      last = e;
      yield e;
      if (isTerminal(e)) return;
    }
  } finally {
    await events.return?.();
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const rotationId = (id: string) => {
  if (!UUID_RE.test(id)) throw bad('id must be a rotation operation id (UUID)', 'id');
  return id;
};

export const resolvers: Resolvers<Ctx> = {
  DateTime: DateTimeScalar,
  RotationStatus: { RUNNING: 'running', COMPLETED: 'completed', FAILED: 'failed' },
  Query: {
    secrets: async (_p, { first, after }, ctx) => {
      const n = count(first, 50, 500, 'first');
      const rows = await SecretStore.page(ctx.runtime.db.read, n + 1, after ?? undefined);
      return { items: rows.slice(0, n), nextCursor: rows.length > n ? rows[n - 1].name : null };
    },
    secret: (_p, { name }, ctx) => SecretStore.byName(ctx.runtime.db.read, validateName(name)),
    kekStatus: async (_p, _a, ctx) => {
      const { ring } = ctx.services;
      const counts = new Map((await SecretStore.countsByKek(ctx.runtime.db.read)).map((c) => [c.kekId, c.count]));
      for (const id of ring.loadedKekIds) if (!counts.has(id)) counts.set(id, 0);
      return {
        currentKekId: ring.currentKekId,
        loadedKekIds: ring.loadedKekIds,
        counts: [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kekId, n]) => ({ kekId, count: n, loaded: ring.has(kekId), current: kekId === ring.currentKekId })),
      };
    },
    rotation: (_p, { id }, ctx) => SecretStore.rotation(ctx.runtime.db.read, rotationId(id)),
    rotations: (_p, { first }, ctx) => SecretStore.rotations(ctx.runtime.db.read, count(first, 20, 200, 'first')),
  },
  Mutation: {
    putSecret: (_p, { name, value }, ctx) => ctx.services.vault.put(ctx.actor(), name, value),
    deleteSecret: (_p, { name }, ctx) => ctx.services.vault.delete(ctx.actor(), name),
    revealSecret: async (_p, { name }, ctx) => {
      const { row, value } = await ctx.services.vault.reveal(ctx.actor(), name);
      return { name: row.name, value, version: row.version, kekId: row.kekId };
    },
    startRotation: (_p, { targetKekId }, ctx) => startRotation(ctx.runtime, ctx.services.ring, ctx.actor(), targetKekId),
  },
  Subscription: {
    rotationProgress: {
      subscribe: (_p: unknown, { id }: { id: string }, ctx: Ctx) => rotationProgress(ctx, rotationId(id)),
      resolve: (e: RotationRow) => e,
    },
  },
  Secret: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => SecretStore.byId(ctx.runtime.db.read, ref.id),
    createdBy: (s: SecretRow) => ({ __typename: 'Principal', id: s.createdBy }),
  },
  RotationOperation: {
    startedBy: (op: RotationRow) => ({ __typename: 'Principal', id: op.startedBy }),
  },
};
