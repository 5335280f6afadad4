// Prisma access for the secrets subgraph's own tables (schema `secrets`).
import type { Prisma, PrismaClient, Tx } from '@talos/kit';

type Client = PrismaClient | Tx;

export type SecretRow = Prisma.SecretGetPayload<object>;
export type RotationRow = Prisma.RotationOperationGetPayload<object>;

/** The stored envelope columns (contract envelope.v1 fields, split into columns). */
export interface EnvelopeColumns {
  kekId: string;
  nonce: string;
  ciphertext: string;
  tag: string;
  aad: string | null;
}

export const SecretStore = {
  byName: (db: Client, name: string) => db.secret.findUnique({ where: { name } }),
  byId: (db: Client, id: string) => db.secret.findUnique({ where: { id } }),
  page: (db: Client, first: number, after?: string) =>
    db.secret.findMany({ where: after !== undefined ? { name: { gt: after } } : {}, orderBy: { name: 'asc' }, take: first }),
  create: (db: Client, data: EnvelopeColumns & { id: string; name: string; createdBy: string }) => db.secret.create({ data }),
  replace: (db: Client, id: string, envelope: EnvelopeColumns) =>
    db.secret.update({ where: { id }, data: { ...envelope, version: { increment: 1 }, rotatedAt: new Date() } }),
  /** Compare-and-swap on version: 0 when a concurrent write changed the row first. */
  rewrap: async (db: Client, id: string, version: number, envelope: EnvelopeColumns): Promise<boolean> =>
    (await db.secret.updateMany({ where: { id, version }, data: { ...envelope, version: version + 1, rotatedAt: new Date() } })).count === 1,
  /**
   * The same compare-and-swap for a whole batch in one statement (rotation throughput); returns the
   * ids that were updated — the others changed concurrently.
   */
  rewrapMany: async (db: Client, items: Array<EnvelopeColumns & { id: string; version: number }>): Promise<Set<string>> => {
    if (items.length === 0) return new Set();
    const col = <K extends keyof (typeof items)[number]>(k: K) => items.map((i) => i[k]);
    const rows = await db.$queryRaw<Array<{ id: string }>>`
      UPDATE secrets.secrets AS s
         SET ciphertext = v.ciphertext, nonce = v.nonce, tag = v.tag, aad = v.aad, kek_id = v.kek_id,
             version = s.version + 1, rotated_at = clock_timestamp(), updated_at = clock_timestamp()
        FROM unnest(${col('id')}::text[], ${col('version')}::int[], ${col('ciphertext')}::text[], ${col('nonce')}::text[],
                    ${col('tag')}::text[], ${col('aad')}::text[], ${col('kekId')}::text[]) AS v(id, version, ciphertext, nonce, tag, aad, kek_id)
       WHERE s.id = v.id AND s.version = v.version
      RETURNING s.id`;
    return new Set(rows.map((r) => r.id));
  },
  delete: (db: Client, id: string) => db.secret.delete({ where: { id } }),
  countsByKek: async (db: Client) =>
    (await db.secret.groupBy({ by: ['kekId'], _count: { _all: true }, orderBy: { kekId: 'asc' } })).map((g) => ({ kekId: g.kekId, count: g._count._all })),
  /** The next batch after `cursor`, in the stable order the rotation cursor follows (name). */
  batchAfter: (db: Client, cursor: string | null, take: number) =>
    db.secret.findMany({ where: cursor !== null ? { name: { gt: cursor } } : {}, orderBy: { name: 'asc' }, take }),

  rotation: (db: Client, id: string) => db.rotationOperation.findUnique({ where: { id } }),
  rotations: (db: Client, first: number) => db.rotationOperation.findMany({ orderBy: { startedAt: 'desc' }, take: first }),
  runningRotation: (db: Client) => db.rotationOperation.findFirst({ where: { status: 'running' }, orderBy: { startedAt: 'asc' } }),
  createRotation: (db: Client, data: { id: string; targetKekId: string; startedBy: string }) =>
    db.rotationOperation.create({ data: { ...data, status: 'running' } }),
  updateRotation: (db: Client, id: string, data: Prisma.RotationOperationUpdateInput) => db.rotationOperation.update({ where: { id }, data }),
};
