// Prisma access for the policy subgraph's own tables (schema `policy`).
import type { Prisma, PrismaClient, Tx } from '@talos/kit';

type Client = PrismaClient | Tx;

export type PrincipalRow = Prisma.PrincipalGetPayload<object>;
export type RoleRow = Prisma.RoleGetPayload<object>;
export type BindingRow = Prisma.RoleBindingGetPayload<{ include: { role: true } }>;

export const PolicyStore = {
  principal: (db: Client, id: string) => db.principal.findUnique({ where: { id } }),
  principals: (db: Client, first: number, after?: string) =>
    db.principal.findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: first }),
  principalsByIds: (db: Client, ids: readonly string[]) => db.principal.findMany({ where: { id: { in: [...ids] } } }),
  upsertPrincipal: (db: Client, data: { id: string; type: string; displayName?: string | null; email?: string | null }) =>
    db.principal.upsert({
      where: { id: data.id },
      create: { id: data.id, type: data.type, displayName: data.displayName ?? null, email: data.email ?? null },
      update: { type: data.type, displayName: data.displayName ?? null, email: data.email ?? null },
    }),

  roles: (db: Client) => db.role.findMany({ orderBy: { name: 'asc' } }),
  role: (db: Client, id: string) => db.role.findUnique({ where: { id } }),
  roleByName: (db: Client, name: string) => db.role.findUnique({ where: { name } }),
  rolesByIds: (db: Client, ids: readonly string[]) => db.role.findMany({ where: { id: { in: [...ids] } } }),
  createRole: (db: Client, data: { id: string; name: string; description?: string | null; permissions: string[]; builtIn?: boolean }) =>
    db.role.create({ data: { ...data, description: data.description ?? null, builtIn: data.builtIn ?? false } }),
  updateRole: (db: Client, id: string, data: { name: string; description?: string | null; permissions: string[] }) =>
    db.role.update({ where: { id }, data: { ...data, description: data.description ?? null } }),
  deleteRole: (db: Client, id: string) => db.role.delete({ where: { id } }),
  roleUseCount: (db: Client, roleId: string) => db.roleBinding.count({ where: { roleId } }),
  principalsBoundToRole: async (db: Client, roleId: string) =>
    (await db.roleBinding.findMany({ where: { roleId }, select: { principalId: true }, distinct: ['principalId'] })).map((r) => r.principalId),

  bindingsOf: async (db: Client, principalIds: readonly string[]): Promise<Map<string, BindingRow[]>> => {
    const rows = await db.roleBinding.findMany({ where: { principalId: { in: [...principalIds] } }, include: { role: true }, orderBy: { id: 'asc' } });
    const out = new Map<string, BindingRow[]>(principalIds.map((id) => [id, []]));
    for (const row of rows) out.get(row.principalId)!.push(row);
    return out;
  },
  bindings: (db: Client, principalId: string): Promise<BindingRow[]> =>
    db.roleBinding.findMany({ where: { principalId }, include: { role: true }, orderBy: { id: 'asc' } }),
  replaceBindings: async (
    db: Tx,
    principalId: string,
    entries: Array<{ id: string; roleId: string; scopeType: string; scopeAttributes: Record<string, string> }>,
  ): Promise<BindingRow[]> => {
    await db.roleBinding.deleteMany({ where: { principalId } });
    if (entries.length) await db.roleBinding.createMany({ data: entries.map((e) => ({ ...e, principalId })) });
    return db.roleBinding.findMany({ where: { principalId }, include: { role: true }, orderBy: { id: 'asc' } });
  },

  recordToken: (db: Client, data: { id: string; principalId: string; permissions: string[]; issuedBy: string; issuedAt: Date; expiresAt: Date }) =>
    db.issuedToken.create({ data }),
  token: (db: Client, id: string) => db.issuedToken.findUnique({ where: { id } }),
  tokensOf: (db: Client, principalId: string, first: number) =>
    db.issuedToken.findMany({ where: { principalId }, orderBy: { issuedAt: 'desc' }, take: first }),
  revokeToken: (db: Client, id: string, at: Date) => db.issuedToken.update({ where: { id }, data: { revokedAt: at } }),
};

export type TokenRow = Prisma.IssuedTokenGetPayload<object>;
