// Audit log: every mutation writes an event in its own transaction; events form one hash chain
// per subgraph (each hash covers the previous hash, fixing reference §10.28-style unlinked chains).
import { canonicalize, sha256Hex, uuidv7 } from '@talos/protocol';
import type { Bus } from './bus';
import type { Database, Prisma, PrismaClient } from './db';

export const AUDIT_SCHEMA_ID = 'talos.audit.v1';
export const AUDIT_SCHEMA_VERSION = 'v1';
export const GENESIS_HASH = '0'.repeat(64);
export const AUDIT_TOPIC = 'audit.events';

export type Tx = Prisma.TransactionClient;
type AuditEventRow = Prisma.AuditEventGetPayload<object>;

export interface AuditInput {
  principalId: string;
  action: string;
  resourceType: string;
  resourceId: string;
  requestId: string;
  status?: 'success' | 'failure';
  details?: Record<string, unknown>;
}

export interface AuditRecord {
  id: string;
  chain: string;
  seq: number;
  timestamp: string;
  principalId: string;
  action: string;
  resourceType: string;
  resourceId: string;
  requestId: string;
  schemaId: string;
  schemaVersion: string;
  status: string;
  details: Record<string, unknown>;
  prevHash: string;
  eventHash: string;
}

/** The hashed preimage: every stored field but the hash itself, snake_case as in the reference. */
export function auditHash(e: Omit<AuditRecord, 'eventHash'>): string {
  return sha256Hex(
    canonicalize({
      event_id: e.id,
      chain: e.chain,
      seq: e.seq,
      timestamp: e.timestamp,
      principal_id: e.principalId,
      action: e.action,
      resource_type: e.resourceType,
      resource_id: e.resourceId,
      request_id: e.requestId,
      schema_id: e.schemaId,
      schema_version: e.schemaVersion,
      status: e.status,
      details: e.details,
      prev_hash: e.prevHash,
    }),
  );
}

function toRecord(row: AuditEventRow): AuditRecord {
  return { ...row, seq: Number(row.seq), timestamp: row.timestamp.toISOString(), details: row.details as Record<string, unknown> };
}

/** Appends one event to `chain` inside the caller's transaction (serialised per chain). */
export async function appendAudit(tx: Tx, chain: string, input: AuditInput): Promise<AuditRecord> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`talos.audit.${chain}`}))`;
  const last = await tx.auditEvent.findFirst({ where: { chain }, orderBy: { seq: 'desc' }, select: { seq: true, eventHash: true } });
  const body: Omit<AuditRecord, 'eventHash'> = {
    id: uuidv7(),
    chain,
    seq: last ? Number(last.seq) + 1 : 1,
    timestamp: new Date().toISOString(),
    principalId: input.principalId,
    action: input.action,
    resourceType: input.resourceType,
    resourceId: input.resourceId,
    requestId: input.requestId,
    schemaId: AUDIT_SCHEMA_ID,
    schemaVersion: AUDIT_SCHEMA_VERSION,
    status: input.status ?? 'success',
    details: input.details ?? {},
    prevHash: last?.eventHash ?? GENESIS_HASH,
  };
  const record: AuditRecord = { ...body, eventHash: auditHash(body) };
  await tx.auditEvent.create({
    data: { ...record, seq: BigInt(record.seq), timestamp: new Date(record.timestamp), details: record.details as Prisma.InputJsonValue },
  });
  return record;
}

/**
 * Runs `fn` in one transaction with an audit writer; the events are published on the bus only
 * after the commit, so subscribers never see an event whose mutation rolled back.
 */
export async function auditedTransaction<T>(
  db: Database,
  bus: Bus,
  chain: string,
  fn: (tx: Tx, audit: (input: AuditInput) => Promise<AuditRecord>) => Promise<T>,
): Promise<T> {
  const events: AuditRecord[] = [];
  const result = await db.write.$transaction(async (tx) => fn(tx, async (input) => {
    const record = await appendAudit(tx, chain, input);
    events.push(record);
    return record;
  }), { timeout: 15_000 });
  for (const e of events) await bus.publish(AUDIT_TOPIC, e);
  return result;
}

export interface ChainVerification {
  valid: boolean;
  checked: number;
  headHash: string;
  firstInvalidSeq?: number;
  reason?: string;
}

/** Recomputes every hash and link of a chain, in seq order. */
export async function verifyAuditChain(db: PrismaClient, chain: string, batch = 1000): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { chain, seq: { gte: BigInt(expectedSeq) } }, orderBy: { seq: 'asc' }, take: batch });
    for (const row of rows) {
      const r = toRecord(row);
      const fail = (reason: string): ChainVerification => ({ valid: false, checked, headHash: prev, firstInvalidSeq: r.seq, reason });
      if (r.seq !== expectedSeq) return fail('sequence gap');
      if (r.prevHash !== prev) return fail('previous hash does not link');
      const { eventHash, ...body } = r;
      if (auditHash(body) !== eventHash) return fail('event hash does not match its contents');
      prev = eventHash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < batch) return { valid: true, checked, headHash: prev };
  }
}

export async function listAuditEvents(db: PrismaClient, chain: string, opts: { afterSeq?: number; first: number }): Promise<AuditRecord[]> {
  const rows = await db.auditEvent.findMany({
    where: { chain, ...(opts.afterSeq !== undefined ? { seq: { gt: BigInt(opts.afterSeq) } } : {}) },
    orderBy: { seq: 'asc' },
    take: opts.first,
  });
  return rows.map(toRecord);
}
